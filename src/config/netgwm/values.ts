// Typed value readers for netgwm.yml: each reports a precise error (line and key path) and returns
// undefined, so the schema in parse.ts reads as one line per key. YAML already typed the scalars
// (numbers, booleans, strings); these check that the type and range are the ones a key needs.

import type { Node } from 'yaml';
import { isIpv4 } from '../../packet/address.js';
import { canonicalIpv6 } from '../../packet/address6.js';
import { DiagnosticCodes } from '../report/diagnostics.js';
import type { NetgwmYamlReader } from './yaml-reader.js';

export interface FieldContext {
  reader: NetgwmYamlReader;
  node: Node | null;
  path: string;
}

function bad(ctx: FieldContext, message: string, hint?: string): undefined {
  ctx.reader.report(DiagnosticCodes.value, ctx.node, ctx.path, message, hint);
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'a mapping or list';
  if (value === null) return 'nothing';
  return typeof value === 'string' ? `'${value}'` : String(value);
}

export function readNumber(ctx: FieldContext, min: number, max: number, unit: string): number | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return bad(ctx, `expected a number${unit ? ` of ${unit}` : ''}, got ${describe(value)}`);
  }
  if (value < min || value > max)
    return bad(ctx, `${value} is out of range (${min}-${max}${unit ? ` ${unit}` : ''})`);
  return value;
}

export function readInteger(ctx: FieldContext, min: number, max: number): number | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return bad(ctx, `expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) return bad(ctx, `${value} is out of range (${min}-${max})`);
  return value;
}

export function readBoolean(ctx: FieldContext): boolean | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value !== 'boolean') return bad(ctx, `expected true or false, got ${describe(value)}`);
  return value;
}

export function readChoice<T extends string>(ctx: FieldContext, choices: readonly T[]): T | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  return bad(ctx, `expected one of ${choices.join(', ')}, got ${describe(value)}`);
}

/** An absolute path; YAML null (an empty value) is returned as null, meaning "disabled". */
export function readOptionalPath(ctx: FieldContext): string | null | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (value === null) return null;
  if (typeof value !== 'string' || value === '')
    return bad(ctx, `expected an absolute path, got ${describe(value)}`);
  if (!value.startsWith('/')) {
    return bad(
      ctx,
      `path '${value}' must be absolute`,
      'the daemon does not run from the configuration directory',
    );
  }
  return value;
}

/** An IPv4 address, or an IPv6 one in its canonical text (so it compares with what the kernel reports). */
export function readIpAddress(ctx: FieldContext): string | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value === 'string' && isIpv4(value)) return value;
  const v6 = typeof value === 'string' ? canonicalIpv6(value) : null;
  if (v6 === null) return bad(ctx, `expected an IPv4 or IPv6 address, got ${describe(value)}`);
  return v6;
}

const INTERFACE_NAME = /^[^\s/:]{1,15}$/;

export function readInterfaceName(ctx: FieldContext): string | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value !== 'string' || !INTERFACE_NAME.test(value)) {
    return bad(
      ctx,
      `expected an interface name (1-15 characters, no spaces, '/' or ':'), got ${describe(value)}`,
    );
  }
  return value;
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const DOTTED_NUMBERS = /^[\d.]+$/;

/** A check site: an IPv4 or IPv6 address, or a host name (resolved at start and on reload). */
export function readCheckSite(ctx: FieldContext): string | undefined {
  const value = ctx.reader.scalar(ctx.node);
  if (typeof value !== 'string' || value === '') {
    return bad(ctx, `expected an IP address or a host name, got ${describe(value)}`);
  }
  if (isIpv4(value)) return value;
  if (value.includes(':')) {
    return canonicalIpv6(value) ?? bad(ctx, `'${value}' is not a valid IPv6 address`);
  }
  if (DOTTED_NUMBERS.test(value)) return bad(ctx, `'${value}' is not a valid IPv4 address`);
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length > 253 || !name.split('.').every((label) => HOST_LABEL.test(label))) {
    return bad(ctx, `'${value}' is neither an IP address nor a valid host name`);
  }
  return value;
}
