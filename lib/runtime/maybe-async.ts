// Values that are usually ready now and only sometimes need a wait (a cached lookup, a counter
// in this process's memory versus one in Redis). At gateway rates every `await` of a value that
// was ready anyway costs a microtask turn; these keep the ready case synchronous.

export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `next(value)`, now when `value` is ready, after it resolves otherwise. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
