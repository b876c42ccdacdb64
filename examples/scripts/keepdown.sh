#!/bin/sh
# Run on BACKUP, FAULT, STOP and as the shutdown script: release the external side and
# reach the outside through the other router instead.
# Install as /etc/vrrpd/keepdown.sh (root, 0755) and set PEER for each router:
#   router 1: PEER=192.0.2.2 SELF=192.0.2.1      router 2: PEER=192.0.2.1 SELF=192.0.2.2

PEER=192.0.2.2
SELF=192.0.2.1
EXTERNAL_IP=203.0.113.10
EXTERNAL_IF=eth2
LAN_IF=eth1

ip link set "$EXTERNAL_IF" down
ip addr del "$EXTERNAL_IP/32" dev "$EXTERNAL_IF" 2> /dev/null
ip route replace default via "$PEER" dev "$LAN_IF" src "$SELF"

[ -x /etc/vrrpd/firewalldown.sh ] && /etc/vrrpd/firewalldown.sh
exit 0
