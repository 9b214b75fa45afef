/**
 * Reads the operator's output line by line: counts writes and retries, and flags anything that must
 * never be there: key material, tokens, signatures (DESIGN: never log secrets), crashes and errors.
 */

/** Findings of one or more operator processes. */
export interface LogFindings {
  lines: number;
  /** "Updating backend set" lines: writes the operator started. */
  writes: number;
  /** "Sync of backend set … failed (attempt n …)" lines: each schedules a retry. */
  retries: number;
  /** "Repaired drift" lines. */
  driftRepairs: number;
  /** Lines that leak a secret (the secret itself is never repeated: only which pattern matched). */
  secrets: string[];
  /** Crash traces and error-level lines. */
  errors: string[];
  /** Lines that are not JSON although the operator runs with --log-format json. */
  notJson: number;
  /** The first few of them (secrets withheld). */
  notJsonExamples: string[];
}

/** What must not appear, by a name that is safe to print. */
export interface SecretPatterns {
  /** name → text */
  [name: string]: string;
}

/** The secret patterns for a PEM private key and a bearer token. */
export function secretPatterns(privatePem: string, token: string): SecretPatterns {
  const patterns: SecretPatterns = {
    "PEM header (BEGIN)": "BEGIN",
    "PRIVATE KEY": "PRIVATE KEY",
    "Bearer ": "Bearer ",
    'signature="': 'signature="',
    "Kubernetes token": token,
  };
  const body = privatePem.split("\n").filter((line) => line && !line.startsWith("-----"));
  // A fragment from every fourth line of the key body: any copy of the key shows some of them.
  body.forEach((line, i) => {
    if (i % 4 === 1 && line.length >= 40) {
      patterns[`key body fragment ${i}`] = line.slice(8, 32);
    }
  });
  return patterns;
}

/** Crash markers of Deno and V8. */
const CRASH_MARKERS = [
  "Uncaught",
  "panicked",
  "unhandled",
  "Unhandled",
  "FATAL ERROR",
  "Maximum call stack",
  "BUG:",
];

/** A scanner fed line by line; `findings` is live. */
export function createLogScanner(secrets: SecretPatterns): {
  findings: LogFindings;
  scan(line: string, source: string): void;
} {
  const findings: LogFindings = {
    lines: 0,
    writes: 0,
    retries: 0,
    driftRepairs: 0,
    secrets: [],
    errors: [],
    notJson: 0,
    notJsonExamples: [],
  };
  const secretEntries = Object.entries(secrets).filter(([, text]) => text.length > 0);
  return {
    findings,
    scan(line, source) {
      findings.lines++;
      let leaks = false;
      for (const [name, text] of secretEntries) {
        if (!line.includes(text)) continue;
        leaks = true;
        findings.secrets.push(`${source} line ${findings.lines}: ${name}`);
      }
      if (!line.startsWith("{")) {
        findings.notJson++;
        const example = leaks ? "(line withheld: it leaks a secret)" : clip(line);
        const known = findings.notJsonExamples.some((e) => e.slice(0, 40) === example.slice(0, 40));
        if (findings.notJsonExamples.length < 5 && !known) findings.notJsonExamples.push(example);
      }
      if (line.includes('"Updating backend set')) findings.writes++;
      else if (line.includes("failed (attempt ")) findings.retries++;
      else if (line.includes('"Repaired drift')) findings.driftRepairs++;
      const crash = CRASH_MARKERS.find((marker) => line.includes(marker));
      const level = /"level":"(ERROR|FATAL)"/.exec(line)?.[1];
      if (crash || level) {
        // A line that leaks is never repeated, not even in the report.
        const text = leaks ? "(line withheld: it leaks a secret)" : clip(line);
        findings.errors.push(`${source}: ${text}`);
      }
    },
  };
}

function clip(line: string): string {
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
