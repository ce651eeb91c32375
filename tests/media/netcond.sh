#!/bin/sh
# netcond.sh: imposes network conditions on one client's link inside the
# media namespace (run it from a process that netns-run.sh started).
#
#   netcond.sh reset                 lifts every condition
#   netcond.sh ADDRESS loss PCT      drops PCT % of the packets between ADDRESS
#                                    and Janus (10.77.0.1), both directions
#   netcond.sh ADDRESS down RATE     caps what ADDRESS receives from Janus
#   netcond.sh ADDRESS up RATE       caps what ADDRESS sends to Janus
#   netcond.sh ADDRESS clean         lifts ADDRESS's conditions
#
# RATE is in tc's units (1mbit, 500kbit). Conditions add up: loss and a cap
# may hold together. ADDRESS is one of the namespace's client addresses
# (10.77.0.2, 10.77.0.3).
#
# Every address lives in this one namespace, so the kernel would deliver
# Janus ↔ client packets through lo, where no queue discipline applies.
# Routing rules for locally sent packets ("iif lo") push them out of the
# veth pair instead, like a real link; accept_local (netns-run.sh) lets the
# other end take them. A cap is a tbf, as a home router's queue (200 ms),
# under an htb class that nftables selects by the packet's priority
# (the kernel here has no u32 classifier). Loss is an nftables
# "numgen random" drop (netem is not available on this kernel).
set -eu

JANUS=10.77.0.1
TABLE=cohort_netcond

die () { echo "netcond.sh: $*" >&2; exit 2; }

octet () { echo "${1##*.}"; }

ensure_table () {
  nft list table inet $TABLE >/dev/null 2>&1 && return 0
  nft -f - <<EOF
table inet $TABLE {
  chain loss { type filter hook input priority 0; policy accept; }
  chain shape { type filter hook postrouting priority 0; policy accept; }
}
EOF
}

ensure_root_qdisc () {
  dev=$1
  tc qdisc show dev "$dev" | grep -q '^qdisc htb 1: root' && return 0
  tc qdisc replace dev "$dev" root handle 1: htb default 1 r2q 1000
  tc class add dev "$dev" parent 1: classid 1:1 htb rate 10gbit quantum 60000
}

# Routes ADDRESS ↔ Janus over veth0 → veth1 and back, idempotently.
ensure_routes () {
  address=$1
  n=$(octet "$address")
  down_table=$((700 + n))
  up_table=$((800 + n))
  if ! ip rule show | grep -q "lookup $down_table"; then
    ip route replace "$address" dev veth0 src $JANUS table $down_table
    ip rule add pref $((20 + 2 * n)) from $JANUS to "$address" iif lo lookup $down_table
  fi
  if ! ip rule show | grep -q "lookup $up_table"; then
    ip route replace $JANUS dev veth1 src "$address" table $up_table
    ip rule add pref $((21 + 2 * n)) from "$address" to $JANUS iif lo lookup $up_table
  fi
}

cap () {
  address=$1 dev=$2 match=$3 rate=$4
  n=$(octet "$address")
  class=$((10 + n))
  ensure_routes "$address"
  ensure_table
  ensure_root_qdisc "$dev"
  tc class replace dev "$dev" parent 1: classid 1:$class htb rate 10gbit quantum 60000
  tc qdisc replace dev "$dev" parent 1:$class handle $class: tbf rate "$rate" burst 10kb latency 200ms
  nft add rule inet $TABLE shape oifname "$dev" ip $match "$address" meta priority set 1:$class
}

clean_address () {
  address=$1
  n=$(octet "$address")
  class=$((10 + n))
  if nft list table inet $TABLE >/dev/null 2>&1; then
    for chain in loss shape; do
      nft -a list chain inet $TABLE $chain | grep -F "$address " | sed -n 's/.*# handle \([0-9]*\)$/\1/p' |
        while read -r handle; do nft delete rule inet $TABLE $chain handle "$handle"; done
    done
  fi
  for dev in veth0 veth1; do
    tc qdisc del dev "$dev" parent 1:$class handle $class: 2>/dev/null || true
    tc class del dev "$dev" classid 1:$class 2>/dev/null || true
  done
}

[ $# -ge 1 ] || die "usage: netcond.sh reset | ADDRESS (clean | loss PCT | down RATE | up RATE)"

if [ "$1" = reset ]; then
  nft delete table inet $TABLE 2>/dev/null || true
  for dev in veth0 veth1; do tc qdisc del dev "$dev" root 2>/dev/null || true; done
  exit 0
fi

address=$1
case "$address" in
  10.77.0.2|10.77.0.3) ;;
  *) die "$address is not a client address of the media namespace" ;;
esac
[ $# -ge 2 ] || die "no condition for $address"

case "$2" in
  clean)
    clean_address "$address" ;;
  loss)
    pct=${3:-}
    case "$pct" in ''|*[!0-9]*) die "loss wants a whole percentage" ;; esac
    [ "$pct" -le 100 ] || die "loss wants a percentage up to 100"
    ensure_routes "$address"
    ensure_table
    nft add rule inet $TABLE loss ip saddr "$address" ip daddr $JANUS numgen random mod 100 \< "$pct" drop
    nft add rule inet $TABLE loss ip saddr $JANUS ip daddr "$address" numgen random mod 100 \< "$pct" drop ;;
  down)
    [ -n "${3:-}" ] || die "down wants a rate"
    cap "$address" veth0 daddr "$3" ;;
  up)
    [ -n "${3:-}" ] || die "up wants a rate"
    cap "$address" veth1 saddr "$3" ;;
  *)
    die "unknown condition $2" ;;
esac
