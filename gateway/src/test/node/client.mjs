// Drives the gateway with the official openai npm client; prints one JSON line for the Java IT
// (OpenAiNodeClientIT) to check. Usage: node client.mjs chat|stream|embeddings|models|error|stream-error
import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: `${process.env.GATEWAY_URL}/v1`,
  apiKey: process.env.GATEWAY_KEY,
  maxRetries: 0,
  timeout: 30_000,
});
const messages = [{ role: 'user', content: 'Hi' }];
const mode = process.argv[2];
let out;

switch (mode) {
  case 'chat': {
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages });
    out = { content: r.choices[0].message.content, finish: r.choices[0].finish_reason, usage: r.usage };
    break;
  }
  case 'stream': {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true },
    });
    let content = '';
    let chunks = 0;
    let usage = null;
    for await (const chunk of stream) {
      chunks++;
      content += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    out = { content, chunks, usage };
    break;
  }
  case 'embeddings': {
    const r = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    out = { count: r.data.length, dims: r.data[0].embedding.length, usage: r.usage };
    break;
  }
  case 'models': {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    out = { ids };
    break;
  }
  case 'error': {
    try {
      await client.chat.completions.create({ model: 'no-such-model', messages });
      out = { unexpected: 'no error' };
    } catch (e) {
      out = { name: e.constructor.name, status: e.status, code: e.code, type: e.type };
    }
    break;
  }
  case 'stream-error': {
    let content = '';
    try {
      const stream = await client.chat.completions.create({ model: 'cut', messages, stream: true });
      for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
      out = { unexpected: 'stream completed', content };
    } catch (e) {
      out = { name: e.constructor.name, message: e.message, content };
    }
    break;
  }
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}
console.log(JSON.stringify(out));
