// A local S3-compatible server for the remote-cache tests (started by ./s3.sh): @20minutes/s3rver on the loopback
// address, objects in a directory, the test bucket created at start. Only the access key id S3RVER is known to it;
// signatures made with any secret are accepted (allowMismatchedSignatures), so a test can pass a secret of its own
// and check that it appears in no artefact. Never for real data.
import S3rver from "@20minutes/s3rver";

const [port, directory, bucket] = [Number(process.env.S3_PORT ?? 4569), process.env.S3_DIR, process.env.S3_BUCKET ?? "cofail-test"];
if (!directory) { console.error("S3_DIR is required"); process.exit(2); }
const server = new S3rver({
  address: "127.0.0.1", port, directory, silent: true, vhostBuckets: false, allowMismatchedSignatures: true,
  configureBuckets: [{ name: bucket }],
});
const address = await server.run();
console.log(`s3rver listening on http://${address.address}:${address.port} (bucket ${bucket}, objects in ${directory})`);
const stop = async () => { await server.close(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
