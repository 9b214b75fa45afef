/** A problem with a user's object: the field path it is about and what is wrong, for status and events. */

/** One problem, e.g. `{ field: "spec.services[1].port", message: "must be ..." }`. */
export interface Problem {
  /** Path of the field, like `spec.services[1].backendSetName`; empty for the object itself. */
  field: string;
  message: string;
}

/** The problem as one line: `spec.weight: must be from 1 to 100, got 0`. */
export function formatProblem(problem: Problem): string {
  return problem.field === "" ? problem.message : `${problem.field}: ${problem.message}`;
}
