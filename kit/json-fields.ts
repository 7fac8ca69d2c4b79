/**
 * Small checks for JSON configuration files. Each pushes an error naming the field and the
 * problem ("heartbeatPeriodMs: must be an integer from 20 to 2000, got 5") and returns a
 * usable value, so one pass reports every mistake at once.
 */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Reports every key of `object` not in `known`: a misspelt field must not be ignored. */
export function rejectUnknownFields(object: Json, known: string[], where: string, errors: string[]): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) errors.push(`${where}${key}: unknown field (known: ${known.join(", ")})`);
  }
}

export function stringField(object: Json, name: string, errors: string[], fallback?: string): string {
  const value = object[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || value === "") {
    errors.push(`${name}: ${value === undefined ? "is required" : "must be a non-empty string, got " + show(value)}`);
    return "";
  }
  return value;
}

export function integerField(object: Json, name: string, min: number, max: number, errors: string[], fallback?: number): number {
  const value = object[name];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const got = value === undefined ? "it is missing" : "got " + show(value);
    errors.push(`${name}: must be an integer from ${min} to ${max}, ${got}`);
    return min;
  }
  return value;
}

/** An optional array whose items pass `check` (which returns an error text or undefined). */
export function arrayField<T>(object: Json, name: string, check: (item: unknown) => string | undefined, errors: string[]): T[] {
  const value = object[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push(`${name}: must be an array, got ${show(value)}`);
    return [];
  }
  value.forEach((item, index) => {
    const problem = check(item);
    if (problem !== undefined) errors.push(`${name}[${index}]: ${problem}, got ${show(item)}`);
  });
  return value as T[];
}
