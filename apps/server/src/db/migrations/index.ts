import type { MigrationObject } from '@mikro-orm/core';
import { Migration0001ChatFoundation } from './0001-chat-foundation.js';

/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const migrations: MigrationObject[] = [
  { name: '0001-chat-foundation', class: Migration0001ChatFoundation },
];
