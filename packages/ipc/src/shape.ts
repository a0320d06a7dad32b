/**
 * Shapes: small compiled checks of what a peer sent, declared once per act. A check returns
 * `undefined` when the value fits (the common case, a few `typeof` tests) and otherwise a short
 * description of the first place it does not, built only then: the path below the checked value,
 * then the problem (`.port: expected an integer from 0 to 65535, got string "x"`; the path is empty
 * for the value itself).
 */

declare const kType: unique symbol;

/** A check of one value; the type parameter is what a value that passes is. */
export type Shape<T = unknown> = ((value: unknown) => string | undefined) & {
  /** Set by `optional`: the key may be absent from an object (or `undefined`). */
  readonly optional?: true;
  readonly [kType]?: T;
};

/** What a value that passes `TShape` is. */
export type Infer<TShape> = TShape extends Shape<infer T> ? T : never;

type Field = Shape<unknown>;
type Fields = Record<string, Field>;
type OptionalKeys<T extends Fields> = { [K in keyof T]: T[K] extends { readonly optional: true } ? K : never }[keyof T];
type ObjectOf<T extends Fields> = {
  [K in Exclude<keyof T, OptionalKeys<T>>]: Infer<T[K]>;
} & { [K in OptionalKeys<T>]?: Infer<T[K]> };
type Flat<T> = { [K in keyof T]: T[K] };

const make = <T>(check: (value: unknown) => string | undefined): Shape<T> => check as Shape<T>;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string' && value.length > 40) return 'a long string';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return `${typeof value} ${JSON.stringify(value)}`;
  }
  return typeof value;
}

const expected = (what: string, value: unknown): string => `: expected ${what}, got ${kindOf(value)}`;

/** The builders. Each returns a `Shape`; objects reject keys they do not name. */
export const shape = {
  /** Anything at all (a value this side only carries along). */
  unknown: make<unknown>(() => undefined),

  /** Exactly `null`. */
  null: make<null>((value) => (value === null ? undefined : expected('null', value))),

  boolean: make<boolean>((value) => (typeof value === 'boolean' ? undefined : expected('a boolean', value))),

  /** A string of at most `maxLength` characters. */
  string(maxLength: number = Number.MAX_SAFE_INTEGER): Shape<string> {
    return make((value) => {
      if (typeof value !== 'string') return expected('a string', value);
      return value.length <= maxLength ? undefined : `: expected at most ${maxLength} characters, got ${value.length}`;
    });
  },

  /** A safe integer within `[min, max]`. */
  integer(min: number = Number.MIN_SAFE_INTEGER, max: number = Number.MAX_SAFE_INTEGER): Shape<number> {
    return make((value) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
        ? undefined
        : expected(`an integer from ${min} to ${max}`, value),
    );
  },

  /** A finite number within `[min, max]`. */
  number(min = -Number.MAX_VALUE, max = Number.MAX_VALUE): Shape<number> {
    return make((value) =>
      typeof value === 'number' && value >= min && value <= max
        ? undefined
        : expected(`a number from ${min} to ${max}`, value),
    );
  },

  /** One of the given primitive values. */
  oneOf<const T extends ReadonlyArray<string | number | boolean | null>>(...values: T): Shape<T[number]> {
    const shown = values.map((value) => JSON.stringify(value)).join(', ');
    return make((value) => (values.includes(value as T[number]) ? undefined : expected(`one of ${shown}`, value)));
  },

  /** A value that fits one of `shapes` (tried in order). */
  anyOf<const T extends readonly Field[]>(...shapes: T): Shape<Infer<T[number]>> {
    return make((value) => {
      let first: string | undefined;
      for (const check of shapes) {
        const problem = check(value);
        if (problem === undefined) return undefined;
        first ??= problem;
      }
      return `: fits none of ${shapes.length} forms (the first says${first ?? ''})`;
    });
  },

  /** `inner`, or `null`. */
  nullable<T>(inner: Shape<T>): Shape<T | null> {
    return make((value) => (value === null ? undefined : inner(value)));
  },

  /** `inner`, or `undefined`; as an object's field, the key may be absent. */
  optional<T>(inner: Shape<T>): Shape<T | undefined> & { readonly optional: true } {
    const check = (value: unknown) => (value === undefined ? undefined : inner(value));
    return Object.assign(check, { optional: true as const }) as Shape<T | undefined> & { readonly optional: true };
  },

  /** An array of at most `maxLength` items, each `item`. */
  array<T>(item: Shape<T>, maxLength: number): Shape<T[]> {
    return make((value) => {
      if (!Array.isArray(value)) return expected('an array', value);
      if (value.length > maxLength) return `: expected at most ${maxLength} items, got ${value.length}`;
      for (let i = 0; i < value.length; i++) {
        const problem = item(value[i]);
        if (problem !== undefined) return `[${i}]${problem}`;
      }
      return undefined;
    });
  },

  /** An array of exactly these items. */
  tuple<const T extends readonly Field[]>(...items: T): Shape<{ -readonly [K in keyof T]: Infer<T[K]> }> {
    return make((value) => {
      if (!Array.isArray(value)) return expected('an array', value);
      if (value.length !== items.length) return `: expected ${items.length} items, got ${value.length}`;
      for (let i = 0; i < items.length; i++) {
        const problem = (items[i] as Field)(value[i]);
        if (problem !== undefined) return `[${i}]${problem}`;
      }
      return undefined;
    });
  },

  /**
   * A plain object with exactly these keys (optional ones may be absent) and no others: a key the
   * protocol does not name is a mistake or a probe, not something to carry along.
   */
  object<const T extends Fields>(fields: T): Shape<Flat<ObjectOf<T>>> {
    const keys = Object.keys(fields);
    const checks = keys.map((key) => fields[key] as Field);
    return make((value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return expected('an object', value);
      const record = value as Record<string, unknown>;
      let present = 0;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const check = checks[i] as Field;
        if (Object.hasOwn(record, key)) {
          present++;
          const problem = check(record[key]);
          if (problem !== undefined) return `.${key}${problem}`;
        } else if (check.optional !== true) {
          return `.${key}: missing`;
        }
      }
      let own = 0;
      for (const key in record) if (Object.hasOwn(record, key)) own++;
      if (own === present) return undefined;
      const extra = Object.keys(record).find((key) => !Object.hasOwn(fields, key));
      return extra === undefined ? undefined : `: unexpected key ${JSON.stringify(extra.slice(0, 40))}`;
    });
  },

  /** `inner`, then a rule over the whole value (fields that depend on each other). */
  refine<T>(inner: Shape<T>, rule: (value: T) => string | undefined): Shape<T> {
    return make((value) => inner(value) ?? rule(value as T));
  },
};

/** Whether a handle may, must, or must not come with a message. */
export type HandleRule = 'none' | 'optional' | 'required';

/** What one act carries: its body, its reply, and the handles that may come with each. */
export interface ActShape<TBody = unknown, TReply = unknown> {
  /** The request's or notification's body. */
  readonly body: Shape<TBody>;
  /** Handles with the body. Default: `'none'`. */
  readonly handle?: HandleRule;
  /** The reply's body; unchecked when absent. */
  readonly reply?: Shape<TReply>;
  /** Handles with the reply. Default: `'none'` when `reply` is given, else unchecked. */
  readonly replyHandle?: HandleRule;
}

/** The shapes of some acts, by name. */
export type ActShapes = Readonly<Record<string, ActShape>>;

/** Checks a message's handle against its rule; `undefined` when it fits. */
export function checkHandle(rule: HandleRule, handle: unknown): string | undefined {
  if (rule === 'optional') return undefined;
  if (rule === 'none') return handle === undefined ? undefined : 'a handle came where none belongs';
  return handle === undefined ? 'the handle it needs is missing' : undefined;
}
