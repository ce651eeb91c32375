#!/bin/sh
# netns-run.sh COMMAND…: runs COMMAND inside a private user and network
# namespace (unshare -rn) with a veth pair, so that ICE has a real
# interface and nothing leaves the namespace:
#   veth0 10.77.0.1/24  Janus (ice_enforce_list = veth0)
#   veth1 10.77.0.2/24  the clients (COHORT_MEDIA_ICE_ADDRESSES)
#         10.77.0.3/24  one student whose network a test cuts: its ICE
#                       and its WebSocket (to the server at 10.77.0.3) use
#                       only this address, so blackhole rules "from/to
#                       10.77.0.3" (COHORT_TEST_CUT_ADDRESS) drop all of its
#                       traffic and nobody else's
# lo carries the class server's and Janus's own WebSockets.
set -eu

if [ "${COHORT_IN_NETNS:-}" != 1 ]; then
  if ! unshare -rn true 2>/dev/null; then
    # TAP: the whole suite is skipped, not failed, where namespaces are off.
    echo "1..0 # SKIP unshare -rn is not permitted here (user namespaces are disabled)"
    exit 0
  fi
  COHORT_IN_NETNS=1 exec unshare -rn "$0" "$@"
fi

ip link set lo up
# Both veth ends live in this namespace. libnice (ours and Janus's) sends
# host-candidate traffic out of the candidate's device, so 10.77.0.2 →
# 10.77.0.1 arrives on veth0 with a local source address: the kernel drops
# it (and its ARP) unless accept_local=1 and rp_filter=0.
for dev in all default; do
  sysctl -qw net.ipv4.conf.$dev.accept_local=1 net.ipv4.conf.$dev.rp_filter=0
done
ip link add veth0 type veth peer name veth1
ip addr add 10.77.0.1/24 dev veth0
ip addr add 10.77.0.2/24 dev veth1
ip addr add 10.77.0.3/24 dev veth1
ip link set veth0 up
ip link set veth1 up
for dev in veth0 veth1; do
  sysctl -qw net.ipv4.conf.$dev.accept_local=1 net.ipv4.conf.$dev.rp_filter=0
done

# Policy rules ahead of the local table, so that a test's blackhole rules
# (pref 10 and 11) also catch traffic between local addresses.
ip rule add pref 100 lookup local
ip rule del pref 0

export COHORT_TEST_JANUS_IFACE=veth0
export COHORT_TEST_CUT_ADDRESS=10.77.0.3
export COHORT_MEDIA_ICE_ADDRESSES=10.77.0.2
exec "$@"
