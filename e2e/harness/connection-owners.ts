// Which process holds the server side of each TCP connection to a port: read from /proc (Linux),
// as `ss -tnp` would. Tests of the machine lane's worker processes use it to know which worker a
// client connection landed on, without the server telling (no test-only header).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The node:cluster workers among the children of `pid` (their environment names them:
 * NODE_UNIQUE_ID; other children — tsx's esbuild, Next.js's helpers — do not). */
export function clusterWorkers(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    if (text) children.push(...text.split(/\s+/).map(Number));
  }
  return children.filter((child) => {
    try {
      return readFileSync(`/proc/${child}/environ`, "latin1")
        .split("\0")
        .some((entry) => entry.startsWith("NODE_UNIQUE_ID="));
    } catch {
      return false; // gone
    }
  });
}

/** Client port → pid of the process among `pids` that holds the accepted socket of a
 * connection to `serverPort` on loopback. */
export function connectionOwners(serverPort: number, pids: number[]): Map<number, number> {
  const inodeToClientPort = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = parseInt(fields[1]!.split(":")[1]!, 16);
      const remotePort = parseInt(fields[2]!.split(":")[1]!, 16);
      if (localPort === serverPort && fields[3] === "01") inodeToClientPort.set(fields[9]!, remotePort); // 01: ESTABLISHED
    }
  }
  const owners = new Map<number, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      let link = "";
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const clientPort = inode ? inodeToClientPort.get(inode) : undefined;
      if (clientPort !== undefined) owners.set(clientPort, pid);
    }
  }
  return owners;
}
