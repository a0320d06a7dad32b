// An ordinary HTTP server, which knows nothing of clusters: `cluster run server.mjs` runs it on every core.
import http from 'node:http';

const port = Number(process.env.PORT ?? 8000);

http
  .createServer((req, res) => {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`hello from worker ${process.env.NODE_APP_INSTANCE} (pid ${process.pid})\n`);
  })
  .listen(port, () => console.log(`listening on ${port}`));
