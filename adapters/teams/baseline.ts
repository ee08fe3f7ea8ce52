import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { ActivityHandler, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

/**
 * The benchmark's baseline for Teams (`npm run bench throughput`): botbuilder
 * on restify with nothing of Bluedesk's, answering a personal message with
 * one Adaptive Card, as Bluedesk answers `escalate` with its form. Anonymous,
 * on loopback only. It lives here because every botbuilder import does: when
 * the SDK is replaced, this baseline is replaced with it.
 */
export async function startBareBotbuilder(): Promise<{ url: string; close(): Promise<void> }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `You said ${ctx.activity.text ?? ''}` }] })] });
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => { await adapter.process(req, res, (ctx) => bot.run(ctx)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => { server.close(() => resolve()); }) };
}
