// Questions in the terminal (passwords without echo), one dialog at a time: shared by the commands that ask.

/** Prompts one at a time: requests from several sockets must not interleave on the terminal. */
export class TerminalPrompter {
  private chain: Promise<unknown> = Promise.resolve();
  private buffer = '';
  private waiters: ((line: string | null) => void)[] = [];
  private ended = false;
  private attached = false;

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly output: NodeJS.WritableStream,
  ) {}

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.input.setEncoding('utf8');
    this.input.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.flush();
    });
    this.input.on('end', () => {
      this.ended = true;
      this.flush();
    });
  }

  private flush(): void {
    for (;;) {
      const w = this.waiters[0];
      if (!w) return;
      const nl = this.buffer.search(/\r?\n|\r/);
      if (nl < 0 && !this.ended) return;
      this.waiters.shift();
      if (nl < 0) {
        const rest = this.buffer;
        this.buffer = '';
        w(rest.length ? rest : null);
      } else {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl).replace(/^\r?\n|^\r/, '');
        w(line);
      }
    }
  }

  private readLine(): Promise<string | null> {
    this.attach();
    this.input.resume();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.flush();
    });
  }

  /** Serialises a whole dialog (several questions) against other requests. */
  run<T>(dialog: () => Promise<T>): Promise<T> {
    const next = this.chain.then(dialog, dialog);
    this.chain = next.catch(() => undefined);
    return next;
  }

  async ask(question: string): Promise<string | null> {
    this.output.write(question);
    return this.readLine();
  }

  /** No echo on a terminal (raw mode); a plain line otherwise (piped input). */
  async askHidden(question: string): Promise<string | null> {
    this.output.write(question);
    const tty = this.input as NodeJS.ReadStream & { isTTY?: boolean; setRawMode?: (b: boolean) => void };
    if (!tty.isTTY || !tty.setRawMode) return this.readLine();
    this.attach();
    return new Promise((resolve) => {
      let typed = '';
      tty.setRawMode?.(true);
      tty.resume();
      const done = (v: string | null) => {
        tty.setRawMode?.(false);
        tty.off('data', onData);
        this.output.write('\n');
        resolve(v);
        typed = '';
      };
      // Raw keystrokes bypass the line buffer: consume them here.
      const onData = (chunk: string) => {
        this.buffer = '';
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') return done(typed);
          if (ch === '\u0003' || ch === '\u001b') return done(null);
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else if (ch >= ' ') typed += ch;
        }
      };
      tty.on('data', onData);
    });
  }
}
