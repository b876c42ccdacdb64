// Constants shared by the netgwm.yml parser and its extension table.

export const NETGWM_DEFAULT_CONFIG_PATH = '/etc/netgwm/netgwm.yml';
/** RT_TABLE_MAIN: where `ip route replace default` writes unless `route_table` says otherwise. */
export const MAIN_ROUTE_TABLE = 254;
