// Constants shared by the netgwm.yml parser and its extension table.

export const NETGWM_DEFAULT_CONFIG_PATH = '/etc/netgwm/netgwm.yml';
/**
 * The NetGWM switch log is on by default, as with NetGWM, but in the directory systemd lets the
 * service write (LogsDirectory=vrrpd sets $LOGS_DIRECTORY=/var/log/vrrpd): the daemon expands
 * `$LOGS_DIRECTORY`, falling back to /var/log/vrrpd when it is not set.
 */
export const DEFAULT_SWITCH_LOG = '$LOGS_DIRECTORY/netgwm.log';
export const LOGS_DIRECTORY_FALLBACK = '/var/log/vrrpd';
/** NetGWM's runtime pin, read when netgwm.yml has no `mode`. */
export const NETGWM_MODE_FILE = '/var/lib/netgwm/mode';
/** NetGWM's /var/run/netgwm: gwstore.yml and one status file per gateway. */
export const NETGWM_STATUS_DIR = '/run/netgwm';
/** RT_TABLE_MAIN: where `ip route replace default` writes unless `route_table` says otherwise. */
export const MAIN_ROUTE_TABLE = 254;
