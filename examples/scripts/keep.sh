#!/bin/sh
# Notify script for both routers: vrrpd (like keepalived) calls it on every state change as
#   keep.sh TYPE NAME STATE PRIORITY      e.g.  keep.sh INSTANCE GATEWAY MASTER 200
# Install as /etc/vrrpd/keep.sh, owned by root, mode 0755.

TYPE=$1
NAME=$2
STATE=$3

case "$STATE" in
  MASTER)
    exec /etc/vrrpd/keepup.sh
    ;;
  BACKUP | FAULT | STOP)
    exec /etc/vrrpd/keepdown.sh
    ;;
  *)
    echo "keep.sh: unknown state '$STATE' for $TYPE $NAME" >&2
    exit 1
    ;;
esac
