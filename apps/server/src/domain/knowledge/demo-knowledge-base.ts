import type { EntityManager } from '@mikro-orm/sqlite';
import { PUBLIC_ARTICLES_CACHE, upsertArticle, type ArticleInput } from './articles.js';
import { dialectOf, lockForTransaction } from '../../db/dialect.js';
import { databaseCaches } from '../../db/sql.js';
import { KnowledgeArticle } from '../../db/entities/index.js';

/**
 * The Demo Shop's help centre: what a fresh install answers from, so `npm start` shows
 * grounded answers at once. Replace it with your own (`npm run import:kb`, the console).
 * The last two are an internal note and a draft: they must never reach a visitor.
 */
export const DEMO_ARTICLES: Array<ArticleInput & { published: boolean; visibility: 'public' | 'internal' }> = [
  {
    title: 'Delivery times and shipping costs',
    published: true,
    visibility: 'public',
    body: `Orders placed before 2 pm (CET) on a working day leave our warehouse the same day. Orders placed later, at weekends or on public holidays leave on the next working day.

## Delivery times

- **Standard delivery**: 2–4 working days after dispatch.
- **Express delivery**: next working day when ordered before 2 pm.
- **Click & collect**: ready in the shop after 2 hours; we email you when it is.

## Delivery costs

Standard delivery costs €4.95 and is **free for orders over €50**. Express delivery costs €9.95 whatever the order value. Click & collect is always free.

## Split deliveries

When part of an order is out of stock we send what is available first, at no extra cost, and the rest as soon as it arrives. Each parcel gets its own tracking number.`,
  },
  {
    title: 'Returns and refunds',
    published: true,
    visibility: 'public',
    body: `You can return most items within **30 days** of delivery, for any reason, as long as they are unused and in their original packaging.

## How to return an item

1. Sign in and open *My orders*.
2. Choose the order and click **Return items**.
3. Print the prepaid return label and drop the parcel at any post office.

Returns are free within the EU. Items bought in the sale can be returned too.

## When you get your money back

We refund within **5 working days** of receiving your return, to the payment method you used. Your bank may take another 3–5 days to show it. Original delivery costs are refunded when you return the whole order.

## What cannot be returned

Gift cards, personalised items, opened earbuds and headphones (for hygiene reasons), and software licences once activated.`,
  },
  {
    title: 'Tracking your order',
    published: true,
    visibility: 'public',
    body: `As soon as your order leaves the warehouse we email you a tracking link. You can also find it under *My orders* when you are signed in.

## The tracking link does not work yet

Carriers show a parcel up to 24 hours after we hand it over. If the link still shows nothing after a working day, please contact us with your order number.

## My parcel says delivered but I don't have it

Check with neighbours and your building's reception first; carriers sometimes leave parcels there. If it has not turned up within 2 days, contact us and we will open an investigation with the carrier.

## Changing the delivery address

An address can be changed until the order is dispatched: open the order under *My orders* and choose **Change address**. After dispatch, use the carrier's tracking page to redirect the parcel.`,
  },
  {
    title: 'Payment methods',
    published: true,
    visibility: 'public',
    body: `We accept the following payment methods:

- Visa, Mastercard and American Express
- PayPal
- Apple Pay and Google Pay
- iDEAL and Bancontact
- Bank transfer (the order ships once the payment has arrived, usually 1–2 working days)
- Pay later with Klarna (invoice within 30 days)

## When is my card charged?

Your card is authorised when you order and charged when the order is dispatched. If part of the order cannot be delivered you are only charged for what we send.

## My payment failed

Check that the billing address matches the one your bank has, and that 3-D Secure was confirmed in your banking app. Failed payments are never charged; an authorisation that did not go through disappears from your statement within 7 days.`,
  },
  {
    title: 'Account and password reset',
    published: true,
    visibility: 'public',
    body: `## Forgot your password?

Click **Sign in**, then **Forgot password**, and enter the email address of your account. We send a reset link that works for 1 hour. Check your spam folder if it does not arrive within a few minutes.

## Changing your email address

Sign in, open *Account settings* and choose **Change email**. We send a confirmation link to the new address; the change takes effect when you click it.

## Ordering without an account

You can check out as a guest. You will still get a confirmation email with a tracking link, and you can create an account later with the same email address to see the order in *My orders*.

## Locked account

After 5 wrong passwords in a row the account is locked for 15 minutes. Resetting your password unlocks it at once.`,
  },
  {
    title: 'Warranty and repairs',
    published: true,
    visibility: 'public',
    body: `Every product comes with the **2-year legal guarantee** from the date of delivery. Electronics from our own brand, Demo Home, have a 3-year warranty.

## What the warranty covers

Manufacturing defects and parts that stop working under normal use. It does not cover damage from drops, water (unless the product is sold as waterproof), wear such as scratches, or repairs done by someone else.

## How to make a warranty claim

Contact us with your order number, a short description of the fault and, if you can, a photo or video. We will either send a prepaid label for a repair, send a replacement, or — if neither is possible — refund the purchase price.

## Keep your proof of purchase

The order confirmation email is your proof of purchase; you can also download an invoice from *My orders*.`,
  },
  {
    title: 'Opening hours and contact',
    published: true,
    visibility: 'public',
    body: `## Customer service hours

Our support team answers chat, email and phone Monday to Friday from 9:00 to 18:00 and Saturday from 10:00 to 16:00 (CET). We are closed on Sundays and Dutch public holidays. The chat assistant answers questions around the clock.

## Ways to reach us

- Email: support@demo-shop.example — we reply within one working day.
- Phone: +31 20 123 4567 during opening hours.
- Chat: the chat button at the bottom of every page.

## Visiting the shop

Our shop at Keizersgracht 100, Amsterdam is open Tuesday to Saturday from 10:00 to 18:00. Click & collect orders can be picked up there.`,
  },
  {
    title: 'Privacy and deleting your data',
    published: true,
    visibility: 'public',
    body: `We only use your personal data to handle your orders, provide support and — if you agreed — send our newsletter. We never sell it.

## Getting a copy of your data

Email privacy@demo-shop.example from the address of your account and ask for a copy. We send it within 30 days, as required by the GDPR.

## Deleting your account and data

You can ask us to delete your account and personal data at any time: email privacy@demo-shop.example or ask in the chat to be put in touch with our team. We confirm within 30 days. Invoices must be kept for 7 years for tax reasons; we keep only what the law requires.

## Newsletter

Every newsletter has an unsubscribe link at the bottom. You can also switch it off under *Account settings*.`,
  },
  {
    title: 'Gift cards',
    published: true,
    visibility: 'public',
    body: `Gift cards are available from €10 to €500, as an e-mail gift card (delivered within minutes) or as a printed card in a gift envelope (sent free with standard delivery).

## Using a gift card

Enter the 16-digit code at checkout under **Gift card or voucher**. You can use several gift cards on one order and pay any remainder with another payment method.

## Validity and balance

Gift cards are valid for **2 years** from the date of purchase. Check the balance on the gift card page with the code and PIN. Any unused balance stays on the card.

## Lost gift cards

We can only replace a lost e-mail gift card for the person who bought it: contact us with the order number of the purchase. Gift cards cannot be exchanged for cash or returned.`,
  },
  {
    title: 'International delivery',
    published: true,
    visibility: 'public',
    body: `We deliver to all EU countries, the United Kingdom, Switzerland and Norway.

## Delivery times and costs abroad

- EU countries: 3–6 working days, €9.95, free over €100.
- United Kingdom, Switzerland and Norway: 4–8 working days, €14.95.

## Customs and import duties

Orders to the EU never have import duties. For the United Kingdom, Switzerland and Norway we ship with duties paid for orders up to €150; above that the carrier may ask you to pay import VAT and duties on delivery. Refused parcels are returned to us and refunded minus the shipping costs.

## Countries we do not ship to

We currently do not deliver outside Europe. Addresses in the Canary Islands and overseas territories are not supported yet.`,
  },
  {
    title: 'Cancelling or changing an order',
    published: true,
    visibility: 'public',
    body: `You can cancel an order free of charge until it is dispatched: open it under *My orders* and click **Cancel order**. The payment authorisation is released at once; for bank transfers we refund within 5 working days.

## Adding items to an order

Orders cannot be combined after they are placed. Place a second order; if both are dispatched the same day we send them in one parcel when we can.

## The order was already dispatched

Once dispatched an order cannot be cancelled, but you can refuse the parcel or return it within 30 days (see Returns and refunds).`,
  },
  {
    title: 'Damaged or wrong item received',
    published: true,
    visibility: 'public',
    body: `Sorry about that! Please contact us within **14 days** of delivery with your order number and a photo of the item and the packaging.

## What happens next

We send a replacement straight away at no cost to you, or a refund if the item is no longer available. You do not need to pay for sending the damaged or wrong item back: we email you a prepaid label, or tell you to keep it when returning it is not worth it.`,
  },
  {
    title: 'Internal: goodwill credit guidelines',
    published: true,
    visibility: 'internal',
    body: `For operators only — never share these amounts with customers, and never let the assistant promise them.

## Goodwill credits

- Late delivery over 5 working days: up to €10 store credit, team lead approval not needed.
- Damaged item when the customer also had a late delivery: up to €25 store credit.
- Anything above €25 needs approval from the support team lead.

## Override code

The warehouse override code for re-sending lost parcels is WH-7731-DELTA. Rotate it monthly.`,
  },
  {
    title: 'Black Friday promotion (draft)',
    published: false,
    visibility: 'public',
    body: `Not announced yet — do not publish before the marketing team signs off.

## The offer

From Friday 28 November, 40% off all Demo Home kitchen appliances with the code BLACKFRIDAY40, and free express shipping on every order over €30.`,
  },
];

/**
 * Seeds the demo knowledge base into a database whose article table has never held an
 * article. "Never" rather than "is empty": once an admin deletes the demo articles they
 * stay deleted across restarts (SQLite's AUTOINCREMENT counter remembers that rows
 * existed; PostgreSQL's sequence likewise). Returns the number of articles seeded (0 when it did nothing).
 */
export async function seedDemoKnowledgeBase(em: EntityManager): Promise<number> {
  const seeded = await em.transactional(async (tx) => {
    // Servers sharing one PostgreSQL database may boot at once: one seeds, the others wait
    // and then find the articles there.
    await lockForTransaction(tx, SEED_LOCK);
    if ((await tx.count(KnowledgeArticle, {})) > 0) return 0;
    if (await articleIdsWereTaken(tx)) return 0;
    for (const article of DEMO_ARTICLES) await upsertArticle(tx, article);
    return DEMO_ARTICLES.length;
  });
  // Each write invalidated the public articles inside this transaction; once more after its commit.
  if (seeded) databaseCaches(em).invalidate(PUBLIC_ARTICLES_CACHE);
  return seeded;
}

const SEED_LOCK = 7_301_160_003;

/** Whether the article table ever handed out an id: its id counter has moved. */
async function articleIdsWereTaken(em: EntityManager): Promise<boolean> {
  const connection = em.getConnection();
  // On the transaction's own connection: SQLite has only that one.
  const ctx = em.getTransactionContext();
  if (dialectOf(em) === 'postgresql') {
    const [sequence] = await connection.execute<Array<{ is_called: boolean }>>(
      'select is_called from knowledge_article_id_seq',
      [],
      'all',
      ctx,
    );
    return sequence?.is_called === true;
  }
  const counter = await connection.execute<Array<{ seq: number }>>(
    "select seq from sqlite_sequence where name = 'knowledge_article'",
    [],
    'all',
    ctx,
  );
  return counter.length > 0 && Number(counter[0]!.seq) > 0;
}
