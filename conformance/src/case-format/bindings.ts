/**
 * Named values saved by steps (`save: x`) and their use in later steps:
 * `${x.ok.results[0].seq}`. A string that is exactly one reference becomes the
 * referenced value (any type); references inside a longer string are formatted
 * into it. An unknown name or path is an error in the case, never an empty value.
 */

const reference = /\$\{([^}]+)\}/g;
const whole = /^\$\{([^}]+)\}$/;

/** The values saved so far in one case run. */
export class Bindings {
  readonly #values = new Map<string, unknown>();

  set(name: string, value: unknown): void {
    this.#values.set(name, value);
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /**
   * The value at a path such as `first.ok.results[0].seq`.
   * @throws Error naming the path when it does not exist.
   */
  lookup(path: string): unknown {
    const parts = path.trim().split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
    const [head, ...rest] = parts;
    if (head === undefined || !this.#values.has(head)) throw new Error(`\${${path}}: nothing was saved as "${head}" (saved: ${[...this.#values.keys()].join(", ") || "none"})`);
    let v: unknown = this.#values.get(head);
    for (const key of rest) {
      if (v === null || typeof v !== "object" || !(key in v)) throw new Error(`\${${path}}: no "${key}" in ${JSON.stringify(v)?.slice(0, 200)}`);
      v = (v as Record<string, unknown>)[key];
    }
    return v;
  }

  /** `value` with every reference replaced, recursively through arrays and objects. */
  resolve(value: unknown): unknown {
    if (typeof value === "string") {
      const m = whole.exec(value);
      if (m?.[1]) return this.lookup(m[1]);
      return value.replace(reference, (_, path: string) => {
        const v = this.lookup(path);
        return typeof v === "string" ? v : JSON.stringify(v);
      });
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]));
    }
    return value;
  }
}
