import { JSONParser } from '@streamparser/json';
function run(chunks, opts = { paths: ['$.*'], keepStack: false }) {
  const p = new JSONParser({ emitPartialTokens: true, emitPartialValues: true, ...opts });
  const events = [];
  p.onValue = ({ value, key, partial }) => events.push([key, value, partial]);
  p.onError = (e) => events.push(['ERR', e.message]);
  p.onEnd = () => events.push(['END']);
  for (const c of chunks) { try { p.write(c); } catch (e) { events.push(['THROW', e.message]); break; } }
  if (!p.isEnded) { try { p.end(); } catch (e) { events.push(['ENDTHROW', e.message]); } }
  return events;
}
console.log(run(['{"answer":"a', 'b c', ' d. "}']));
const esc = '{"answer":"a\\u00e9b \\ud83d\\ude00 c \\"q\\" \\\\ \\n z"}';
const want = 'a\u00e9b \ud83d\ude00 c "q" \\ \n z';
for (let i = 1; i < esc.length; i++) {
  const ev = run([esc.slice(0, i), esc.slice(i)]);
  const final = ev.find((e) => e[0] === 'answer' && !e[2]);
  const partials = ev.filter((e) => e[0] === 'answer' && e[2] && typeof e[1] === 'string').map((e) => e[1]);
  const bad = partials.filter((s) => !want.startsWith(s));
  if (!final || final[1] !== want || bad.length) console.log('split', i, JSON.stringify(esc.slice(0,i)), JSON.stringify(partials), final);
}
console.log('escapes ok');
const raw = '{"answer":"x 😀 y"}';
const idx = raw.indexOf('😀') + 1;
console.log(JSON.stringify(run([raw.slice(0, idx), raw.slice(idx)])));
console.log(run(['Hello there. Not JSON']));
console.log(run(['{"answer": "trunc']));
console.log(run(['```json\n{"answer": "x"}']));
console.log(run(['  {"answer": "x", "nested": {"a": "b"}, "confidence": 7}']));
