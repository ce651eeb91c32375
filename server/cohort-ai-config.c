/* cohort-ai-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cohort-ai-config.h"

CohortAiConfig *
cohort_ai_config_new_defaults (void)
{
  CohortAiConfig *config = g_new0 (CohortAiConfig, 1);

  config->connect_timeout_ms = 10 * 1000;
  config->first_token_timeout_ms = 30 * 1000;
  config->total_timeout_ms = 180 * 1000;
  config->max_tokens = 1024;
  config->max_prompt_chars = 12000;
  config->questions_per_minute = 6;
  config->questions_per_minute_per_class = 200;
  config->questions_per_minute_per_server = 1000;
  config->max_per_student_per_day = 100;
  config->max_per_class_per_day = 2000;
  config->max_per_server_per_day = 20000;
  config->history_messages = 20;
  config->context_tokens = 3000;

  return config;
}

void
cohort_ai_config_free (CohortAiConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->base_url);
  g_free (config->model);
  if (config->api_key != NULL)
    memset (config->api_key, 0, strlen (config->api_key));
  g_free (config->api_key);
  g_free (config);
}

CohortAiConfig *
cohort_ai_config_copy (const CohortAiConfig *config)
{
  CohortAiConfig *copy = g_memdup2 (config, sizeof *config);

  copy->base_url = g_strdup (config->base_url);
  copy->model = g_strdup (config->model);
  copy->api_key = g_strdup (config->api_key);

  return copy;
}

static gboolean
get_uint (GKeyFile   *keyfile,
          const char *key,
          guint       min,
          guint       max,
          double      scale,
          guint      *out,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  double value;

  if (!g_key_file_has_key (keyfile, COHORT_AI_CONFIG_GROUP, key, NULL))
    return TRUE;

  value = g_key_file_get_double (keyfile, COHORT_AI_CONFIG_GROUP, key, &local_error);
  if (local_error != NULL || value < min || value > max)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[ai] %s must be a number from %u to %u", key, min, max);
      return FALSE;
    }

  *out = (guint) (value * scale);
  return TRUE;
}

static char *
trimmed_string (GKeyFile   *keyfile,
                const char *key)
{
  g_autofree char *value = g_key_file_get_string (keyfile, COHORT_AI_CONFIG_GROUP, key, NULL);

  if (value == NULL)
    return NULL;

  g_strstrip (value);
  if (*value == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

CohortAiConfig *
cohort_ai_config_load (GKeyFile  *keyfile,
                       GError   **error)
{
  g_autoptr(CohortAiConfig) config = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *key_env = NULL;
  g_autoptr(GUri) uri = NULL;

  if (!g_key_file_has_group (keyfile, COHORT_AI_CONFIG_GROUP))
    return NULL;

  base_url = trimmed_string (keyfile, "base-url");
  if (base_url == NULL)
    return NULL;

  config = cohort_ai_config_new_defaults ();

  while (g_str_has_suffix (base_url, "/"))
    base_url[strlen (base_url) - 1] = '\0';
  /* "http://host:11434/v1" and "http://host:11434" both work. */
  if (g_str_has_suffix (base_url, "/v1"))
    base_url[strlen (base_url) - 3] = '\0';

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           "[ai] base-url must be an http:// or https:// URL without a user name or password");
      return NULL;
    }
  config->base_url = g_steal_pointer (&base_url);

  config->model = trimmed_string (keyfile, "model");
  if (config->model == NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                           "[ai] model is required when base-url is set");
      return NULL;
    }

  key_file = trimmed_string (keyfile, "api-key-file");
  key_env = trimmed_string (keyfile, "api-key-env");
  if (key_file != NULL && key_env != NULL)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           "[ai] set api-key-file or api-key-env, not both");
      return NULL;
    }
  if (key_file != NULL)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!g_file_get_contents (key_file, &contents, NULL, &local_error))
        {
          /* The file's name may be shown; its contents never are. */
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[ai] api-key-file: could not read %s: %s", key_file,
                       local_error->message);
          return NULL;
        }
      g_strstrip (contents);
      if (*contents != '\0')
        config->api_key = g_steal_pointer (&contents);
    }
  else if (key_env != NULL)
    {
      const char *value = g_getenv (key_env);

      if (value == NULL || *value == '\0')
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[ai] api-key-env: the environment variable %s is not set", key_env);
          return NULL;
        }
      config->api_key = g_strstrip (g_strdup (value));
    }

  if (config->api_key != NULL)
    for (const char *p = config->api_key; *p != '\0'; p++)
      if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
        {
          g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                               "[ai] the API key contains characters an HTTP header cannot carry");
          return NULL;
        }

  if (!get_uint (keyfile, "connect-timeout", 1, 600, 1000, &config->connect_timeout_ms, error) ||
      !get_uint (keyfile, "first-token-timeout", 1, 600, 1000, &config->first_token_timeout_ms, error) ||
      !get_uint (keyfile, "total-timeout", 1, 3600, 1000, &config->total_timeout_ms, error) ||
      !get_uint (keyfile, "max-tokens", 16, 32768, 1, &config->max_tokens, error) ||
      !get_uint (keyfile, "max-prompt-chars", 500, 200000, 1, &config->max_prompt_chars, error) ||
      !get_uint (keyfile, "questions-per-minute", 1, 600, 1, &config->questions_per_minute, error) ||
      !get_uint (keyfile, "questions-per-minute-per-class", 0, 100000, 1,
                 &config->questions_per_minute_per_class, error) ||
      !get_uint (keyfile, "questions-per-minute-per-server", 0, 1000000, 1,
                 &config->questions_per_minute_per_server, error) ||
      !get_uint (keyfile, "max-questions-per-student-per-day", 0, 1000, 1,
                 &config->max_per_student_per_day, error) ||
      !get_uint (keyfile, "max-questions-per-class-per-day", 0, 1000000, 1,
                 &config->max_per_class_per_day, error) ||
      !get_uint (keyfile, "max-questions-per-server-per-day", 0, 100000000, 1,
                 &config->max_per_server_per_day, error) ||
      !get_uint (keyfile, "history-messages", 0, 50, 1, &config->history_messages, error) ||
      !get_uint (keyfile, "context-tokens", 200, 200000, 1, &config->context_tokens, error))
    return NULL;

  return g_steal_pointer (&config);
}

char *
cohort_ai_config_redact (const CohortAiConfig *config,
                         const char           *text)
{
  g_autoptr(GString) out = NULL;

  if (text == NULL)
    return NULL;
  if (config == NULL || config->api_key == NULL || *config->api_key == '\0')
    return g_strdup (text);

  out = g_string_new (text);
  g_string_replace (out, config->api_key, "[redacted]", 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
