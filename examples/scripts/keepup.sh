#!/bin/sh
# Run on becoming MASTER: bring up the external side on eth2 and route through it.
# Install as /etc/vrrpd/keepup.sh on both routers (root, 0755).
#
# Documentation addresses: the external address of the pair is 203.0.113.10, the
# provider's gateway 203.0.113.1. Replace them with yours.

EXTERNAL_IP=203.0.113.10
EXTERNAL_IF=eth2
GATEWAY=203.0.113.1

ip addr replace "$EXTERNAL_IP/32" dev "$EXTERNAL_IF"
ip link set "$EXTERNAL_IF" up
ip route replace "$GATEWAY" dev "$EXTERNAL_IF"
ip route replace default via "$GATEWAY" dev "$EXTERNAL_IF"
echo 1 > /proc/sys/net/ipv4/ip_forward

# Optional: load the NAT rules for the LAN behind the external address.
[ -x /etc/vrrpd/firewallup.sh ] && /etc/vrrpd/firewallup.sh

# One packet towards the gateway refreshes the upstream switch's MAC table at once,
# instead of waiting for the first outgoing connection (see the original article).
ping -c 1 -W 1 "$GATEWAY" > /dev/null 2>&1
exit 0
