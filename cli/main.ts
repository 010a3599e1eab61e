// Entry point of the `gatehouse` command (bin/gatehouse.js runs it compiled, or through tsx).
import { runCli } from "./run.ts";

// `gatehouse … | head -1` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
