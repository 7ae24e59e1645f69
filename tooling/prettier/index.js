/** Shared Prettier settings: every workspace formats the same way. */
export default {
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
};
