import assert from "node:assert/strict";
import { proxyFor, shownProxy } from "./proxy.ts";

const PROXY = "http://proxy.corp:3128";

Deno.test("proxyFor: HTTPS_PROXY for https, HTTP_PROXY for http, lower-case spellings too", () => {
  assert.deepEqual(proxyFor("https://sts.amazonaws.com/", { HTTPS_PROXY: PROXY }), {
    url: PROXY,
    source: "HTTPS_PROXY",
  });
  assert.equal(proxyFor("http://127.0.0.1:9/", { HTTPS_PROXY: PROXY }), undefined);
  assert.equal(proxyFor("http://127.0.0.1:9/", { http_proxy: PROXY })?.source, "http_proxy");
  assert.equal(proxyFor("https://a.example/", { https_proxy: PROXY })?.source, "https_proxy");
  assert.equal(proxyFor("https://a.example/", {}), undefined);
  assert.equal(proxyFor("https://a.example/", { HTTPS_PROXY: " " }), undefined);
});

Deno.test("proxyFor: NO_PROXY hosts, domain suffixes, IP addresses, CIDR ranges, ports and *", () => {
  const cases: [string, string, boolean][] = [
    ["example.com", "https://example.com/", false],
    ["example.com", "https://sts.example.com/", false],
    ["example.com", "https://badexample.com/", true],
    [".internal", "https://sts.vpce.internal/", false],
    [".internal", "https://internal/", false],
    ["*.internal", "https://a.internal/", false],
    ["127.0.0.1", "https://127.0.0.1:8443/", false],
    ["10.0.0.0/8", "https://10.200.3.4/", false],
    ["10.0.0.0/8", "https://11.0.0.1/", true],
    ["192.168.1.0/24", "https://192.168.2.1/", true],
    ["0.0.0.0/0", "https://8.8.8.8/", false],
    ["example.com:8443", "https://example.com:8443/", false],
    ["example.com:8443", "https://example.com/", true],
    ["[::1]", "https://[::1]:9/", false],
    ["*", "https://anything.example/", false],
    ["a.example, b.example", "https://b.example/", false],
    ["", "https://b.example/", true],
  ];
  for (const [noProxy, url, proxied] of cases) {
    const choice = proxyFor(url, { HTTPS_PROXY: PROXY, NO_PROXY: noProxy });
    assert.equal(choice !== undefined, proxied, `NO_PROXY=${noProxy} ${url}`);
  }
  assert.equal(
    proxyFor("https://a.internal/", { HTTPS_PROXY: PROXY, no_proxy: ".internal" }),
    undefined,
  );
});

Deno.test("shownProxy: never the credentials", () => {
  assert.equal(shownProxy("http://u:p%40ss@proxy:3128"), "http://proxy:3128 (with credentials)");
  assert.equal(shownProxy("proxy.corp:8080"), "http://proxy.corp:8080");
  assert.equal(shownProxy("http://proxy.corp"), "http://proxy.corp");
  assert.equal(shownProxy("http://[bad"), "(not a URL)");
});
