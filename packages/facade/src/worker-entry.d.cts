// The worker bootstrap: loading it in a worker of ours starts the worker side; it exports nothing.
export {};
