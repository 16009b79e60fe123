// The official @upstash/redis client against the local bridge, for every
// command the project uses (and the encodings and errors around them).
// Run by the Rust e2e suite with UPSTASH_REDIS_REST_URL/TOKEN set to a bridge
// it started over the real Redis; KEY_PREFIX keeps runs apart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";

const url = process.env.UPSTASH_REDIS_REST_URL;
const token = process.env.UPSTASH_REDIS_REST_TOKEN;
const prefix = process.env.KEY_PREFIX ?? `cp-test-${process.pid}:`;
assert.ok(url && token, "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set");

// The client's defaults: base64 response encoding, automatic JSON
// deserialisation, read-your-writes sync tokens.
const redis = new Redis({ url, token, retry: false });
const key = (name) => `${prefix}${name}`;

test("set and get round-trip strings, unicode and JSON", async () => {
  assert.equal(await redis.set(key("s"), "hello"), "OK");
  assert.equal(await redis.get(key("s")), "hello");
  await redis.set(key("u"), "São Paulo ✈ Lisboa");
  assert.equal(await redis.get(key("u")), "São Paulo ✈ Lisboa");
  await redis.set(key("j"), { origin: "SAO", offers: [1, 2], price: "1234.56" });
  assert.deepEqual(await redis.get(key("j")), { origin: "SAO", offers: [1, 2], price: "1234.56" });
  assert.equal(await redis.get(key("missing")), null);
});

test("a stored value of OK survives base64 encoding", async () => {
  await redis.set(key("ok"), "OK");
  assert.equal(await redis.get(key("ok")), "OK");
});

test("set with ex expires, ttl and expire report it", async () => {
  await redis.set(key("ex"), "v", { ex: 100 });
  const ttl = await redis.ttl(key("ex"));
  assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
  assert.equal(await redis.expire(key("ex"), 1), 1);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await redis.get(key("ex")), null);
});

test("del, exists, incr and mget", async () => {
  await redis.set(key("d"), "x");
  assert.equal(await redis.exists(key("d")), 1);
  assert.equal(await redis.del(key("d")), 1);
  assert.equal(await redis.exists(key("d")), 0);
  assert.equal(await redis.incr(key("n")), 1);
  assert.equal(await redis.incrby(key("n"), 5), 6);
  await redis.set(key("m1"), "a");
  assert.deepEqual(await redis.mget(key("m1"), key("m2")), ["a", null]);
});

test("pipeline answers every command in order", async () => {
  const p = redis.pipeline();
  p.set(key("p1"), "one");
  p.get(key("p1"));
  p.incr(key("p2"));
  p.del(key("p1"));
  assert.deepEqual(await p.exec(), ["OK", "one", 1, 1]);
});

test("multi-exec runs a transaction", async () => {
  const t = redis.multi();
  t.set(key("t1"), "a");
  t.incr(key("t2"));
  t.get(key("t1"));
  assert.deepEqual(await t.exec(), ["OK", 1, "a"]);
});

test("scripts run with eval and evalsha, as the rate limiter does", async () => {
  const script = "return {KEYS[1], tonumber(ARGV[1]) + 1}";
  assert.deepEqual(await redis.eval(script, [key("k")], ["41"]), [key("k"), 42]);
  const sha = await redis.scriptLoad(script);
  assert.match(sha, /^[0-9a-f]{40}$/);
  assert.deepEqual(await redis.evalsha(sha, [key("k")], ["1"]), [key("k"), 2]);
  await assert.rejects(redis.evalsha("0".repeat(40), [], []), /NOSCRIPT/);
});

test("redis errors reach the client as UpstashError with redis's message", async () => {
  await redis.set(key("str"), "not a number");
  await assert.rejects(redis.incr(key("str")), (err) => {
    assert.equal(err.name, "UpstashError");
    assert.match(err.message, /ERR value is not an integer/);
    return true;
  });
});

test("a wrong token is refused", async () => {
  const wrong = new Redis({ url, token: "wrong-token", retry: false });
  await assert.rejects(wrong.get(key("s")), /Unauthorized|401/);
});
