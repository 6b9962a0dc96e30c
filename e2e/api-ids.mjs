// A JavaScript client of the API, as a learner's own script would be: it reads every id
// through JSON.parse, and deletes a log by the id it read. Ids are 64-bit; as JSON numbers
// JavaScript would round them (658750468366525395 reads as …400), so the API sends strings.
//
//   BASE=http://127.0.0.1:18080 TOKEN=adt_… node e2e/api-ids.mjs
const base = process.env.BASE;
const token = process.env.TOKEN;
if (!base || !token) throw new Error('set BASE and TOKEN');
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

function check(ok, what) {
  if (!ok) {
    console.error(`api-ids: FAILED: ${what}`);
    process.exit(1);
  }
}

let resp = await fetch(`${base}/api/v1/logs`, {
  method: 'POST',
  headers,
  body: JSON.stringify({ minutes: 25, note: 'logged from a JavaScript client' }),
});
check(resp.status === 201, `POST /api/v1/logs answered ${resp.status}`);
const created = JSON.parse(await resp.text());
check(typeof created.id === 'string' && /^[0-9]+$/.test(created.id), `the id is a string of digits: ${created.id}`);
check(resp.headers.get('location') === `/api/v1/logs/${created.id}`, 'the Location names the same id');
const asNumber = JSON.parse(`{"id": ${created.id}}`).id;
console.log(`api-ids: log ${created.id}; as a JSON number JavaScript would read ${asNumber}`);

resp = await fetch(`${base}/api/v1/logs?limit=200`, { headers });
check(resp.status === 200, `GET /api/v1/logs answered ${resp.status}`);
const list = JSON.parse(await resp.text());
const found = list.logs.find((log) => log.note === 'logged from a JavaScript client');
check(found && found.id === created.id, 'the list gives the same id');
for (const log of list.logs) {
  check(typeof log.id === 'string', `every id in the list is a string: ${log.id}`);
}

resp = await fetch(`${base}/api/v1/logs/${found.id}`, { method: 'DELETE', headers });
check(resp.status === 204, `DELETE by the id read through JSON.parse answered ${resp.status}`);
resp = await fetch(`${base}/api/v1/logs/${found.id}`, { headers });
check(resp.status === 404, `the deleted log answers ${resp.status}`);
console.log('api-ids: ok (created, listed and deleted by the id read through JSON.parse)');
