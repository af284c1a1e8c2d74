// A small HTTP service: GET / and GET /healthz, port from $PORT (default 3000), graceful SIGTERM.
import express, { type NextFunction, type Request, type Response } from "express";

const startedAt = new Date();
const app = express();
app.disable("x-powered-by");

app.get("/", (_req: Request, res: Response) => {
  res.json({
    service: "node-app",
    message: "hello from stagebench",
    node: process.version,
    uptimeSeconds: Math.round(process.uptime()),
    startedAt: startedAt.toISOString(),
  });
});

app.get("/healthz", (_req: Request, res: Response) => {
  res.json({ status: "ok" });
});

app.use((req: Request, res: Response) => {
  res.status(404).json({ error: "not found", path: req.path });
});

app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  console.error(err);
  res.status(500).json({ error: "internal error" });
});

function parsePort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

const port = parsePort(process.env.PORT);
const server = app.listen(port, "0.0.0.0", (error?: Error) => {
  if (error) {
    console.error(`cannot listen on 0.0.0.0:${port}: ${error.message}`);
    process.exit(1);
  }
  console.log(`node-app listening on 0.0.0.0:${port}`);
});

// As PID 1 in a container, node gets no default signal handling: stop cleanly on our own.
function shutdown(signal: NodeJS.Signals): void {
  console.log(`${signal} received, closing the server`);
  server.close((error?: Error) => process.exit(error ? 1 : 0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
