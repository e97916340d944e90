// Drives `heaptui mcp` with the official MCP TypeScript SDK (Client over StdioClientTransport)
// for tests/mcp.rs. Reads a plan (JSON) on stdin:
//   { "command": "/path/heaptui", "args": ["mcp", "--root", DIR], "cwd": DIR,
//     "roots": [DIR] | null,            // the client's MCP roots (file:// URIs), if any
//     "steps": [ { "op": "call", "name": TOOL, "arguments": {...}, "progress": true }, … ] }
// Ops: initialize facts ("info"), "listTools", "listPrompts", "getPrompt", "call",
// "raw" (writes a line as is to the server's stdin: malformed JSON-RPC), "unknownMethod".
// Prints one JSON array: per step { ok: result } or { error: message }, and for calls the
// number of progress notifications received.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ListRootsRequestSchema, ResultSchema } from "@modelcontextprotocol/sdk/types.js";

const read = async () => {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
};

const plan = await read();
const transport = new StdioClientTransport({
  command: plan.command,
  args: plan.args,
  cwd: plan.cwd,
  stderr: "pipe",
});
let stderr = "";
const capabilities = plan.roots ? { roots: { listChanged: false } } : {};
const client = new Client({ name: "heaptui-tests", version: "1.0.0" }, { capabilities });
if (plan.roots) {
  client.setRequestHandler(ListRootsRequestSchema, async () => ({
    roots: plan.roots.map((dir) => ({ uri: `file://${dir}`, name: dir })),
  }));
}
await client.connect(transport);
transport.stderr?.on("data", (d) => (stderr += d));

const results = [];
for (const step of plan.steps) {
  try {
    switch (step.op) {
      case "info":
        results.push({
          ok: {
            serverVersion: client.getServerVersion(),
            capabilities: client.getServerCapabilities(),
            instructions: client.getInstructions(),
          },
        });
        break;
      case "listTools":
        results.push({ ok: await client.listTools() });
        break;
      case "listPrompts":
        results.push({ ok: await client.listPrompts() });
        break;
      case "getPrompt":
        results.push({ ok: await client.getPrompt({ name: step.name, arguments: step.arguments }) });
        break;
      case "call": {
        let progress = 0;
        const options = step.progress ? { onprogress: () => (progress += 1) } : {};
        const ok = await client.callTool(
          { name: step.name, arguments: step.arguments },
          undefined,
          options,
        );
        results.push({ ok, progress, bytes: JSON.stringify(ok).length });
        break;
      }
      case "raw":
        transport._process.stdin.write(step.line + "\n");
        results.push({ ok: "sent" });
        break;
      case "unknownMethod":
        results.push({ ok: await client.request({ method: "heaptui/no-such-method", params: {} }, ResultSchema) });
        break;
      default:
        results.push({ error: `unknown op ${step.op}` });
    }
  } catch (e) {
    results.push({ error: String(e && e.message ? e.message : e) });
  }
}
await client.close();
process.stdout.write(JSON.stringify({ results, stderr }) + "\n");
