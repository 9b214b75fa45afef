/**
 * A loopback TCP proxy in front of the OCI simulator that keeps the requests' bodies, so tests can
 * assert on the exact JSON the SDK sent. It forwards bytes untouched, so signatures stay valid.
 */

/** One HTTP request as it crossed the proxy. */
export interface ProxiedRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface RecordingProxy {
  url: string;
  requests(): ProxiedRequest[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 and forwards every connection to `targetUrl`'s port. */
export function startRecordingProxy(targetUrl: string): RecordingProxy {
  const target = new URL(targetUrl);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const tasks = new Set<Promise<unknown>>();
  const seen: ProxiedRequest[] = [];

  const track = (task: Promise<unknown>) => {
    tasks.add(task);
    task.finally(() => tasks.delete(task));
  };
  const closeQuietly = (conn: Deno.Conn) => {
    conns.delete(conn);
    try {
      conn.close();
    } catch {
      // Closed by the other direction already.
    }
  };

  async function link(client: Deno.Conn) {
    conns.add(client);
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: target.hostname, port: Number(target.port) });
    } catch {
      closeQuietly(client);
      return;
    }
    conns.add(upstream);
    const parser = createRequestParser((request) => seen.push(request));
    const tee = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        parser(chunk);
        controller.enqueue(chunk);
      },
    });
    await Promise.all([
      client.readable.pipeThrough(tee).pipeTo(upstream.writable).catch(() => {}),
      upstream.readable.pipeTo(client.writable).catch(() => {}),
    ]);
    closeQuietly(client);
    closeQuietly(upstream);
  }

  const accepting = (async () => {
    try {
      for await (const client of listener) track(link(client));
    } catch {
      // The listener was closed.
    }
  })();

  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    requests: () => [...seen],
    async close() {
      listener.close();
      await accepting;
      for (const conn of [...conns]) closeQuietly(conn);
      await Promise.all(tasks);
    },
  };
}

/** Splits a byte stream of HTTP/1.1 requests with Content-Length bodies into requests. */
function createRequestParser(emit: (request: ProxiedRequest) => void): (chunk: Uint8Array) => void {
  let buffer = new Uint8Array(0);
  const decoder = new TextDecoder();
  return (chunk) => {
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
    while (true) {
      const end = indexOfHeaderEnd(buffer);
      if (end < 0) return;
      const head = decoder.decode(buffer.subarray(0, end));
      const [requestLine = "", ...headerLines] = head.split("\r\n");
      const lengthLine = headerLines.find((line) => /^content-length:/i.test(line));
      const length = lengthLine === undefined ? 0 : Number(lengthLine.split(":")[1]);
      if (buffer.length < end + 4 + length) return;
      const [method = "", path = ""] = requestLine.split(" ");
      const headers = Object.fromEntries(headerLines.map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }));
      const body = decoder.decode(buffer.subarray(end + 4, end + 4 + length));
      emit({ method, path, headers, body });
      buffer = buffer.slice(end + 4 + length);
    }
  };
}

function indexOfHeaderEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}
