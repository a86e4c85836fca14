#!/bin/bash
# Set-up of bench/vercmp's peers: python3-apt (apt_pkg.version_compare) and python3-rpm
# (rpm.labelCompare) for the Debian python, /usr/bin/python3. Not needed by any test.
set -euo pipefail
if /usr/bin/python3 -c 'import apt_pkg, rpm' 2>/dev/null; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y python3-apt python3-rpm || { apt-get update && apt-get install -y python3-apt python3-rpm; }
