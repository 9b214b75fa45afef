/**
 * Where the demo writes. Permanent lines scroll as usual; the live lines (the table) sit below them.
 * On a terminal the live lines are redrawn in place with ANSI cursor moves; elsewhere (pipes, CI)
 * they are printed only when committed, once per step.
 */

/** The demo's output. */
export interface Screen {
  /** Writes a line that stays (narration, changes). */
  log(line: string): void;
  /** Replaces the live lines. */
  live(lines: readonly string[]): void;
  /** Prints the live lines now unless they are on screen already (plain output). */
  commit(): void;
  /** Leaves the live lines where they are and restores the cursor; later lines go below. */
  close(): void;
}

/** How the screen reaches the terminal. */
export interface ScreenOptions {
  readonly write: (text: string) => void;
  /** Redraw in place (a terminal) or print plainly. */
  readonly tty: boolean;
  /** Current terminal size; live lines are cut to fit so cursor moves stay exact. */
  readonly size?: () => { columns: number; rows: number };
}

const ESC = "\x1b[";

/** A screen writing through `write`. */
export function createScreen(options: ScreenOptions): Screen {
  return options.tty ? liveScreen(options) : plainScreen(options);
}

function plainScreen({ write }: ScreenOptions): Screen {
  let pending: readonly string[] = [];
  return {
    log: (line) => write(`${line}\n`),
    live: (lines) => {
      pending = lines;
    },
    commit: () => {
      if (pending.length > 0) write(`${pending.join("\n")}\n`);
      pending = [];
    },
    close: () => {},
  };
}

function liveScreen({ write, size = () => ({ columns: 80, rows: 24 }) }: ScreenOptions): Screen {
  let drawn = 0;
  let current: readonly string[] = [];
  let hidden = false;

  const fit = (lines: readonly string[]) => {
    const { columns, rows } = size();
    // A wrapped line takes two rows and would throw the next cursor move off, so cut each.
    return lines.slice(0, Math.max(1, rows - 2)).map((line) =>
      line.length < columns ? line : `${line.slice(0, Math.max(0, columns - 2))}…`
    );
  };

  const draw = (permanent: readonly string[]) => {
    const lines = fit(current);
    let out = hidden ? "" : `${ESC}?25l`;
    hidden = true;
    if (drawn > 0) out += `${ESC}${drawn}F${ESC}J`;
    for (const line of [...permanent, ...lines]) out += `${line}\n`;
    drawn = lines.length;
    write(out);
  };

  return {
    log: (line) => draw([line]),
    live(lines) {
      if (lines.length === current.length && lines.every((line, i) => line === current[i])) return;
      current = [...lines];
      draw([]);
    },
    commit: () => {},
    close() {
      if (hidden) write(`${ESC}?25h`);
      hidden = false;
      drawn = 0;
      current = [];
    },
  };
}
