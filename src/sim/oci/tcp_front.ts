/**
 * A loopback TCP front for the HTTP server: it pipes each client connection to its own upstream
 * connection, so the server can cut a client off mid-request (a dropped connection, no response).
 * The server recognises the connection by the upstream's local port (its `remoteAddr.port`).
 */

/** The listening front. */
export interface TcpFront {
  port: number;
  /** Closes the client connection behind this upstream port, without any response. */
  cut(upstreamPort: number): void;
  close(): Promise<void>;
}

interface Link {
  client: Deno.Conn;
  upstream: Deno.Conn;
}

/** Listens on `hostname:port` and forwards every connection to `upstreamPort` on the same host. */
export function startTcpFront(
  { hostname, port, upstreamPort }: { hostname: string; port: number; upstreamPort: number },
): TcpFront {
  const listener = Deno.listen({ hostname, port, transport: "tcp" });
  const links = new Map<number, Link>();
  const piping = new Set<Promise<unknown>>();

  const closeLink = ({ client, upstream }: Link) => {
    for (const conn of [client, upstream]) {
      try {
        conn.close();
      } catch {
        // Already closed by the other direction.
      }
    }
  };

  const pipe = (from: Deno.Conn, to: Deno.Conn) =>
    from.readable.pipeTo(to.writable).catch(() => {});

  async function link(client: Deno.Conn) {
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname, port: upstreamPort });
    } catch {
      client.close();
      return;
    }
    const upstreamLocal = (upstream.localAddr as Deno.NetAddr).port;
    const entry = { client, upstream };
    links.set(upstreamLocal, entry);
    await Promise.all([pipe(client, upstream), pipe(upstream, client)]);
    links.delete(upstreamLocal);
    closeLink(entry);
  }

  const accepting = (async () => {
    try {
      for await (const client of listener) {
        const task = link(client);
        piping.add(task);
        task.finally(() => piping.delete(task));
      }
    } catch {
      // The listener was closed.
    }
  })();

  return {
    port: (listener.addr as Deno.NetAddr).port,
    cut(upstreamPort) {
      const entry = links.get(upstreamPort);
      if (entry) closeLink(entry);
    },
    async close() {
      listener.close();
      await accepting;
      for (const entry of links.values()) closeLink(entry);
      await Promise.all(piping);
    },
  };
}
