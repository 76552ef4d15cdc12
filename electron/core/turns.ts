// Long work in core is cut into slices so the event loop keeps answering the office: one slice's budget, and the
// pause between two slices.

/** A slice of work between two yields to the event loop. */
export const SLICE_MS = 12;

/** Lets the event loop run (timers, I/O, IPC) before the next slice. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
