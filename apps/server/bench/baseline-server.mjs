// The least any chat server must do per message: parse the request, store the visitor
// message and a canned reply in SQLite (WAL, as in production), answer. Nothing else.
// Started by bench-chat.ts as its own process so both sides are measured alike.
/* global process, console */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import sqlite3 from 'sqlite3';

const [, , port, file] = process.argv;
const db = new sqlite3.Database(file);
const run = (sql, params = []) =>
  new Promise((resolve, reject) =>
    db.run(sql, params, function (error) {
      if (error) reject(error);
      else resolve(this);
    }),
  );

await run('pragma journal_mode = wal');
await run('pragma synchronous = normal');
await run('create table if not exists session (id text primary key, created_at integer not null)');
await run(
  'create table if not exists message (id integer primary key autoincrement, session_id text not null, author text not null, body text not null, client_message_id text, created_at integer not null, unique (session_id, client_message_id))',
);

const readJson = async (req) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body || '{}');
};

createServer(async (req, res) => {
  try {
    if (req.url === '/start') {
      const id = `cs_${randomBytes(16).toString('base64url')}`;
      await run('insert into session (id, created_at) values (?, ?)', [id, Date.now()]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sessionId: id }));
      return;
    }
    if (req.url === '/send') {
      const { sessionId, clientMessageId, text } = await readJson(req);
      const now = Date.now();
      await run('insert into message (session_id, author, body, client_message_id, created_at) values (?, ?, ?, ?, ?)', [sessionId, 'visitor', text, clientMessageId, now]);
      const reply = await run('insert into message (session_id, author, body, created_at) values (?, ?, ?, ?)', [sessionId, 'ai', 'Thanks for your message. Here is a canned answer.', now]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: reply.lastID, body: 'Thanks for your message. Here is a canned answer.' }));
      return;
    }
    res.writeHead(404).end();
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
}).listen(Number(port), '127.0.0.1', () => console.log('ready'));
