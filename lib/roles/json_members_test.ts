import assert from "node:assert/strict";
import { JsonMembersError, objectMembers } from "./json_members.ts";

function failure(text: string): { message: string; line: number } {
  try {
    objectMembers(text);
  } catch (error) {
    assert.ok(error instanceof JsonMembersError);
    return { message: error.message, line: error.line };
  }
  return assert.fail(`no error for ${JSON.stringify(text)}`);
}

Deno.test("objectMembers keeps repeated names, numbers as written and the line of each member", () => {
  const text = '\ufeff{\r\n "a": "x\\u0041",\n\n "a": -0.5e3,\n "n": {"deep": [1, {"k": null}]},' +
    ' "t": true, "big": 12345678901234567890}';
  assert.deepEqual(objectMembers(text), [
    { key: "a", type: "string", value: "xA", line: 2 },
    { key: "a", type: "number", value: "-0.5e3", line: 4 },
    { key: "n", type: "other", value: "", line: 5 },
    { key: "t", type: "other", value: "true", line: 5 },
    { key: "big", type: "number", value: "12345678901234567890", line: 5 },
  ]);
  assert.deepEqual(objectMembers(" {} "), []);
});

Deno.test("objectMembers refuses what is not one JSON object, with the line of the problem", () => {
  assert.deepEqual(failure("[1]"), {
    message: 'expected a JSON object like {"name": "123456789012"}',
    line: 1,
  });
  assert.deepEqual(failure('{\n"a": 1,\n}'), {
    message: "expected a quoted account name",
    line: 3,
  });
  assert.deepEqual(failure('{"a"\n 1}'), { message: "expected ':'", line: 2 });
  assert.deepEqual(failure('{"a": 01}'), { message: "expected ',' or '}'", line: 1 });
  assert.deepEqual(failure('{"a": [1 2]}'), { message: "expected ',' or ']'", line: 1 });
  assert.deepEqual(failure('{"a": {1: 2}}'), { message: "expected a quoted key", line: 1 });
  assert.deepEqual(failure('{"a": tru}'), { message: "expected a value", line: 1 });
  assert.deepEqual(failure('{"a": "x\ny"}'), { message: "unterminated string", line: 1 });
  assert.deepEqual(failure('{"a": "x\\'), { message: "unterminated string", line: 1 });
  assert.deepEqual(failure('{"a": "\\q"}'), { message: "bad escape in a string", line: 1 });
  assert.deepEqual(failure("{}\n{}"), { message: "unexpected text after the object", line: 2 });
});
