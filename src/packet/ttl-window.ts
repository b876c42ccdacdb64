// keepalived's per-peer TTL window: `unicast_peer { 192.0.2.2 min_ttl 250 max_ttl 255 }`
// (vrrp_data.c, vrrp.c). A unicast advert from that peer is dropped (ip_ttl) unless its TTL is
// within [min_ttl, max_ttl]; defaults 0 and 255. keepalived checks it together with
// check_unicast_src, which any min_ttl/max_ttl turns on. Pure.

export interface TtlWindow {
  /** 0..255, default 0. */
  min: number;
  /** 0..255, default 255. min > max drops everything from the peer (keepalived warns). */
  max: number;
}

/** Is `ttl` inside the window? */
export function ttlInWindow(window: TtlWindow, ttl: number): boolean {
  return ttl >= window.min && ttl <= window.max;
}

/**
 * The lowest TTL the ladder's first step must let through for unicast adverts on an interface
 * (ValidationContext.unicastTtlCheck): the usual minimum, lowered to the smallest min_ttl of any
 * peer window, so the window step (not step 1) judges those peers.
 */
export function unicastTtlFloor(usual: number, windows: Iterable<TtlWindow>): number {
  let floor = usual;
  for (const window of windows) floor = Math.min(floor, window.min);
  return floor;
}
