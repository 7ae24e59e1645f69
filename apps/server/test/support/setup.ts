import { afterAll } from 'vitest';
import { releaseTestDatabases } from './database.js';

// Every test file: the PostgreSQL copies it made are gone before the next file starts.
afterAll(releaseTestDatabases);
