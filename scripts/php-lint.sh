#!/usr/bin/env bash
# Runs `php -l` over every PHP file of the WordPress plugin; fails if any has a syntax error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plugin="$root/wp-bridge"

if ! command -v php >/dev/null 2>&1; then
  echo "php-lint: php is not installed (apt-get install php-cli)" >&2
  exit 1
fi

status=0
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! out="$(php -d display_errors=1 -l "$file" 2>&1)"; then
    echo "$out" >&2
    status=1
  fi
  # Every file refuses to run outside WordPress.
  if ! grep -Eq "defined\( ?'ABSPATH' ?\) \|\| exit;" "$file"; then
    echo "php-lint: $file lacks defined('ABSPATH') || exit;" >&2
    status=1
  fi
done < <(find "$plugin" -type f -name '*.php' -print0 | sort -z)

if [ "$count" -eq 0 ]; then
  echo "php-lint: no PHP files under $plugin" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "php-lint: syntax errors found" >&2
  exit 1
fi
echo "php-lint: $count PHP files OK"
