/**
 * The host's single HTTP server. Raw handlers are registered by path prefix
 * (the longest matching prefix wins); the HTTP trigger extension registers `/`
 * as the catch-all for function routes.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawHttpHandler } from './types';

export class HostServer {
  // Idle keep-alive sockets live 65 s (as behind Azure's front end), longer than clients keep them: with the
  // 5 s default a client reusing a socket just as the server drops it gets ECONNRESET ("fetch failed").
  readonly #server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.#dispatch(req, res));
  readonly #handlers: { prefix: string; handler: RawHttpHandler }[] = [];
  #origin = '';

  get origin(): string {
    return this.#origin;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    this.#origin = `http://${host}:${address.port}`;
    return this.#origin;
  }

  addHandler(prefix: string, handler: RawHttpHandler): void {
    this.#handlers.push({ prefix, handler });
    this.#handlers.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  async close(): Promise<void> {
    this.#server.closeIdleConnections();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    setTimeout(() => this.#server.closeAllConnections(), 2000).unref();
    await closed;
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#origin);
    const match = this.#handlers.find(({ prefix }) => url.pathname.toLowerCase().startsWith(prefix.toLowerCase()));
    // The host's own endpoints (durable management API, /admin/functions) carry no keys locally:
    // they answer loopback callers only, even if the server were bound to another interface.
    if (match && match.prefix !== '/' && !isLoopback(req.socket.remoteAddress)) {
      sendProblem(res, 403, 'Forbidden', 'Host endpoints answer loopback callers only');
      return;
    }
    try {
      if (match) await match.handler(req, res, url);
      else sendProblem(res, 404, 'Not Found', `No route matches ${req.method} ${url.pathname}`);
    } catch (error) {
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', 'The host failed to handle the request');
      else res.destroy(error instanceof Error ? error : undefined);
    }
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address ?? '');
}

/** Writes an `application/problem+json` answer (RFC 9457). */
export function sendProblem(res: ServerResponse, status: number, title: string, detail?: string): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
