// Names handed out once each, for identifiers a backend makes from layer names: a name already
// taken gets `_2`, `_3`, ... The same rule in every backend that names code after layers.

export class NamePool {
  private readonly used: Set<string>;

  constructor(taken: Iterable<string> = []) {
    this.used = new Set(taken);
  }

  /** `base`, or `base_2`, `base_3`, ... the first one not taken yet; it is taken from then on. */
  take(base: string): string {
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }
}
