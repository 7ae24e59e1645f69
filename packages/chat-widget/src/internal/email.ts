// A plain shape check, so a typo is caught before a round trip; the server validates for real.
const shape = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Whether `value` looks like an email address (`name@example.com`). */
export function isEmail(value: string): boolean {
  return value.length <= 254 && shape.test(value);
}
