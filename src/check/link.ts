// Linking: every declaration resolved to its model definition and parameter values, each
// variant's arguments merged over its base's (SPN011 unknown base, SPN012 cycle, SPN013 unknown
// parameter). Runs before the checks of a model's body, which read the values it binds.
import type * as A from '../syntax/ast.js';
import { nearest } from '../diagnostics/edit-distance.js';
import { phrase } from '../diagnostics/wording.js';
import type { Reporter } from './report.js';

/** A parameter's value and the binding it came from. */
export interface Bound {
  readonly value: number;
  readonly binding?: A.Binding;
  readonly origin: string;
}
export type Env = ReadonlyMap<string, Bound>;

export interface Resolved {
  readonly def: A.ModelDef;
  readonly env: Env;
}

/**
 * Resolves every declaration to its model definition and parameter values, each variant's
 * arguments merged over its base's. Memoized, so long chains of variants stay linear.
 */
export class Resolver {
  /** undefined: the declaration cannot be resolved (reported where the cause is). */
  private readonly done = new Map<A.ModelDecl, Resolved | undefined>();

  constructor(
    private readonly declared: ReadonlyMap<string, A.ModelDecl>,
    private readonly report: Reporter,
  ) {}

  resolve(decl: A.ModelDecl): Resolved | undefined {
    const chain: A.VariantDef[] = [];
    const onChain = new Set<A.ModelDecl>();
    let at: A.ModelDecl = decl;
    while (!this.done.has(at) && at.kind === 'variant') {
      if (onChain.has(at)) {
        this.reportCycle(chain.slice(chain.indexOf(at)));
        return this.fail(chain);
      }
      onChain.add(at);
      chain.push(at);
      const base = this.declared.get(at.base.name);
      if (!base) {
        const guess = nearest(at.base.name, this.declared.keys());
        this.report.error('SPN011', at.base.range, { name: at.base.name, ...(guess !== undefined ? { guess } : {}) }, { hint: guess !== undefined ? 'didYouMean' : 'declare' });
        return this.fail(chain);
      }
      at = base;
    }
    let resolved = this.done.has(at) ? this.done.get(at) : this.defaults(at as A.ModelDef);
    this.done.set(at, resolved);
    for (const variant of chain.reverse()) {
      resolved = resolved && this.applyArgs(variant, resolved);
      this.done.set(variant, resolved);
    }
    return resolved;
  }

  private defaults(def: A.ModelDef): Resolved {
    const env = new Map<string, Bound>(def.params.map((p) => [p.name.name, { value: p.value.value, binding: p, origin: phrase('defaultOf', { model: def.name.name }) }]));
    return { def, env };
  }

  private applyArgs(variant: A.VariantDef, base: Resolved): Resolved | undefined {
    const { def } = base;
    const env = new Map(base.env);
    let ok = true;
    for (const arg of variant.args) {
      if (!env.has(arg.name.name)) {
        const guess = nearest(arg.name.name, env.keys());
        const parameters = [...env.keys()].map((k) => `'${k}'`).join(', ');
        this.report.error('SPN013', arg.name.range, { model: def.name.name, name: arg.name.name, parameters, ...(guess !== undefined ? { guess } : {}) },
          { hint: guess !== undefined ? 'didYouMean' : env.size > 0 ? 'parameters' : 'none' });
        ok = false;
        continue;
      }
      env.set(arg.name.name, { value: arg.value.value, binding: arg, origin: phrase('argumentOf', { variant: variant.name.name }) });
    }
    return ok ? { def, env } : undefined;
  }

  /**
   * Reports each variant of a cycle once, at its own name, with the path from it back to itself;
   * a long cycle shows its first steps and its length (every message naming all 20,000 variants
   * of a ring would hold 20,000² names).
   */
  private reportCycle(cycle: readonly A.VariantDef[]): void {
    const SHOWN = 4;
    cycle.forEach((v, k) => {
      const names = Array.from({ length: Math.min(cycle.length, SHOWN) }, (_, i) => `'${cycle[(k + i) % cycle.length].name.name}'`);
      const short = cycle.length <= SHOWN;
      const path = (short ? [...names, names[0]] : names).join(' -> ');
      this.report.error('SPN012', v.name.range, { name: v.name.name, path, length: cycle.length }, { message: short ? 'short' : 'long' });
    });
  }

  private fail(chain: readonly A.VariantDef[]): undefined {
    for (const v of chain) this.done.set(v, undefined);
    return undefined;
  }
}

/** The parameters with the caller's overrides (`CheckOptions.overrides`) applied. */
export function withOverrides(env: Env, overrides: Readonly<Record<string, number>> | undefined): Env {
  if (!overrides) return env;
  const out = new Map(env);
  for (const [name, value] of Object.entries(overrides)) if (out.has(name)) out.set(name, { value, origin: phrase('override', { name, value }) });
  return out;
}
