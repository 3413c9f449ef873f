#!/usr/bin/env bash
# Provisions what the WordPress end-to-end suite (test/wordpress) needs from Debian's packages:
# PHP's CLI (its built-in server runs WordPress), PHP's MySQL driver, the `wordpress` package
# with its default theme, and openssl with ca-certificates (the TLS tests issue certificates from
# a test CA and add it to the system's trust store with update-ca-certificates). Idempotent:
# installs only what is absent, and runs `apt-get update` at most once. MariaDB itself is started
# by scripts/start-mariadb.sh.
#
# The suite writes one /etc/wordpress/config-<host>.php per test blog (Debian's wp-config.php
# picks the file by the request's host) and removes it afterwards, so /etc/wordpress must be
# writable by the user who runs the tests.
set -euo pipefail

need=()
if ! command -v php >/dev/null 2>&1; then
  need+=(php-cli php-mysql)
elif ! php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null; then
  need+=(php-mysql)
fi
[ -f /usr/share/wordpress/wp-settings.php ] || need+=(wordpress)
[ -d /usr/share/wordpress/wp-content/themes/twentytwentythree ] || need+=(wordpress-theme-twentytwentythree)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# In /usr/sbin, which a non-root user's PATH may lack.
command -v update-ca-certificates >/dev/null 2>&1 || [ -x /usr/sbin/update-ca-certificates ] || need+=(ca-certificates)

if [ "${#need[@]}" -gt 0 ]; then
  echo "installing from Debian: ${need[*]}"
  # The wordpress package depends on a web server; the tests use `php -S`, so keep the package
  # scripts from starting a daemon (a container has no init to stop it again).
  added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    added_policy=1
  fi
  trap 'if [ "$added_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Asked of PHP itself: `php -m | grep -q` can fail under pipefail when grep stops reading early.
php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' || { echo "PHP has no mysqli extension (php-mysql)" >&2; exit 1; }
[ -f /usr/share/wordpress/wp-settings.php ] || { echo "WordPress is not in /usr/share/wordpress" >&2; exit 1; }

# Debian's package creates /etc/wordpress (root-owned). Root can write there already; a test
# user started through sudo gets the directory for itself.
install -d -m 0755 /etc/wordpress
if [ -n "${SUDO_USER:-}" ] && [ "${SUDO_USER}" != root ]; then
  chown "${SUDO_USER}" /etc/wordpress
fi

echo "WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" /usr/share/wordpress/wp-includes/version.php) and $(php -r 'echo "PHP ", PHP_VERSION;') are ready"
