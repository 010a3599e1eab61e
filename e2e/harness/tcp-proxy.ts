// A TCP proxy a test puts between one Gatehouse instance and its Redis, to break only that
// instance's link: "cut" (connections closed, new ones closed at once — a partition the client
// notices) or "blackhole" (connections stay open, bytes are dropped both ways — a hang nobody
// notices until a command times out). "pass" forwards again.
import net from "node:net";

export type LinkMode = "pass" | "cut" | "blackhole";

export interface TcpProxy {
  url: string;
  port: number;
  mode(mode: LinkMode): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, scheme = "redis"): Promise<TcpProxy> {
  let mode: LinkMode = "pass";
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    client.on("error", () => {});
    if (mode === "cut") return void client.destroy();
    const upstream = net.connect(targetPort, "127.0.0.1");
    upstream.on("error", () => client.destroy());
    const pair = { client, upstream };
    pairs.add(pair);
    client.on("data", (data) => mode === "pass" && upstream.write(data));
    upstream.on("data", (data) => mode === "pass" && client.write(data));
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close);
    upstream.on("close", close);
  });
  const destroyAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    mode(next) {
      mode = next;
      if (next === "cut") destroyAll();
    },
    async close() {
      destroyAll();
      await new Promise((r) => server.close(r));
    },
  };
}
