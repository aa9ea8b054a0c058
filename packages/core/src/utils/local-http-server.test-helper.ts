import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file server on 127.0.0.1 for download tests: serves `files`, honours Range, counts requests. */
export interface LocalServer {
  url: string;
  requests: { path: string; range: string | undefined }[];
  /** When set, the next full response for this path sends only this many bytes, then drops. */
  cutAfter: Map<string, number>;
  close(): Promise<void>;
}

export async function startLocalServer(files: Map<string, Uint8Array>): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const cutAfter = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const range = req.headers.range;
    requests.push({ path, range });
    const body = files.get(path);
    if (!body) {
      res.writeHead(404, 'Not Found').end('missing');
      return;
    }
    let start = 0;
    if (range) {
      start = Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    } else {
      res.writeHead(200, { 'Content-Length': body.length });
    }
    const cut = cutAfter.get(path);
    if (cut !== undefined && !range) {
      cutAfter.delete(path);
      res.write(body.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutAfter,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
