// Entry point of the `gatehouse` command (bin/gatehouse.js runs it through tsx).
import { runCli } from "./run.ts";

process.exitCode = await runCli(process.argv.slice(2));
