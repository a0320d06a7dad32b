// The app: an ordinary HTTP server. It never imports the supervisor; its slot is in NODE_APP_INSTANCE.
const http = require('node:http');

const started = new Date().toISOString();
http
  .createServer((req, res) => {
    res.end(`hello from slot ${process.env.NODE_APP_INSTANCE} (pid ${process.pid}, up since ${started})\n`);
  })
  .listen(Number(process.env.PORT ?? 8000));
