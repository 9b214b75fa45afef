/** `labelSelector=` parsing and matching with the grammar and error texts of the real server. */

import { badRequest } from "./status_error.ts";

type Operator = "=" | "!=" | "in" | "notin" | "exists" | "!" | ">" | "<";

interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

/** A compiled label selector: true when the labels match every requirement. */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

type Token = { kind: "id" | "op" | "(" | ")" | "," | "!" | "end"; text: string };

const OPERATORS = ["==", "!=", "=", ">", "<"];

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", text: op });
      i += op.length;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({ kind: ch, text: ch });
      i++;
    } else if (ch === "!") {
      tokens.push({ kind: "!", text: ch });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s(),!=<>]/.test(input[j]!)) j++;
      tokens.push({ kind: "id", text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

const KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  const slash = key.indexOf("/");
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  const bad = name.length === 0 || name.length > 63 || !KEY_NAME.test(name) ||
    (slash >= 0 && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)));
  if (bad) {
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: ${
        JSON.stringify(key)
      }: name part must consist of ` +
        "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
}

function checkValue(value: string): void {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw badRequest(
      `unable to parse requirement: values[0][]: Invalid value: ${
        JSON.stringify(value)
      }: a valid label must ` +
        "be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
        "with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
        "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
}

function parse(input: string): Requirement[] {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const found = (t: Token) => t.kind === "end" ? "end of string" : `'${t.text}'`;
  const requirements: Requirement[] = [];
  if (peek().kind === "end") return requirements;

  for (;;) {
    let negated = false;
    if (peek().kind === "!") {
      next();
      negated = true;
    }
    const keyToken = next();
    if (keyToken.kind !== "id") {
      throw badRequest(`found ${found(keyToken)}, expected: identifier`);
    }
    checkKey(keyToken.text);
    if (negated) {
      requirements.push({ key: keyToken.text, op: "!", values: [] });
    } else {
      const opToken = peek();
      if (opToken.kind === "," || opToken.kind === "end") {
        requirements.push({ key: keyToken.text, op: "exists", values: [] });
      } else if (opToken.kind === "op") {
        next();
        const op: Operator = opToken.text === "==" ? "=" : opToken.text as Operator;
        const valueToken = peek();
        let value = "";
        if (valueToken.kind === "id") value = next().text;
        else if (valueToken.kind !== "," && valueToken.kind !== "end") {
          throw badRequest(`found ${found(valueToken)}, expected: identifier`);
        }
        if ((op === ">" || op === "<") && !/^-?\d+$/.test(value)) {
          throw badRequest(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        checkValue(value);
        requirements.push({ key: keyToken.text, op, values: [value] });
      } else if (opToken.kind === "id" && (opToken.text === "in" || opToken.text === "notin")) {
        next();
        const open = next();
        if (open.kind !== "(") {
          throw badRequest(`unable to parse requirement: found ${found(open)}, expected: '('`);
        }
        const values: string[] = [];
        for (;;) {
          const t = next();
          if (t.kind === "id") {
            checkValue(t.text);
            values.push(t.text);
          } else if (t.kind === ",") {
            if (values.length === 0) values.push("");
            continue;
          } else if (t.kind === ")") break;
          else {throw badRequest(
              `unable to parse requirement: found ${found(t)}, expected: ',', ')' or identifier`,
            );}
        }
        requirements.push({ key: keyToken.text, op: opToken.text as Operator, values });
      } else {
        throw badRequest(
          `unable to parse requirement: found ${
            found(opToken)
          }, expected: in, notin, =, ==, !=, gt, lt`,
        );
      }
    }
    const sep = next();
    if (sep.kind === "end") return requirements;
    if (sep.kind !== ",") throw badRequest(`found ${found(sep)}, expected: ',' or 'end of string'`);
    const after = peek();
    if (after.kind !== "id" && after.kind !== "!") {
      throw badRequest(`found ${found(after)}, expected: identifier after ','`);
    }
  }
}

function matches(req: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, req.key);
  const value = has ? labels![req.key]! : undefined;
  switch (req.op) {
    case "=":
    case "in":
      return has && req.values.includes(value!);
    case "!=":
    case "notin":
      return !has || !req.values.includes(value!);
    case "exists":
      return has;
    case "!":
      return !has;
    case ">":
    case "<": {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const left = Number(value);
      const right = Number(req.values[0]);
      return req.op === ">" ? left > right : left < right;
    }
  }
}

/** Compiles a label selector; throws a 400 StatusError on a syntax error. */
export function parseLabelSelector(input: string | null | undefined): LabelMatcher {
  const requirements = parse(input ?? "");
  if (requirements.length === 0) return () => true;
  return (labels) => requirements.every((req) => matches(req, labels));
}
