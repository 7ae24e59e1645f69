export { default } from '@ticket0/eslint-config';
