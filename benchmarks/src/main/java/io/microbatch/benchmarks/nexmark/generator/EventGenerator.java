package io.microbatch.benchmarks.nexmark.generator;

import io.microbatch.benchmarks.nexmark.model.Auction;
import io.microbatch.benchmarks.nexmark.model.Bid;
import io.microbatch.benchmarks.nexmark.model.Event;
import io.microbatch.benchmarks.nexmark.model.EventCoder;
import io.microbatch.benchmarks.nexmark.model.Person;
import org.apache.beam.sdk.coders.Coder;

/**
 * The Nexmark event mix: of every 50 events one is a new person, three are new auctions and 46 are
 * bids. Auctions are sold by recently registered people (so most sellers registered in the same
 * 10 s window); bids go half to the 20 newest auctions (hot items) and half to any open auction,
 * and 90% come from the 100 newest people.
 */
public final class EventGenerator implements ElementGenerator<Event> {
  public static final int EVENTS_PER_EPOCH = 50;
  public static final int AUCTIONS_PER_EPOCH = 3;
  public static final long FIRST_PERSON_ID = 1000;
  public static final long FIRST_AUCTION_ID = 1000;
  static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY", "NV", "UT"};
  static final String[] CITIES = {
    "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle",
    "Kent", "Cheyenne"
  };
  private static final String[] FIRST_NAMES = {
    "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter"
  };
  private static final String[] LAST_NAMES = {
    "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris", "Mills"
  };
  private static final String[] NAMES = new String[FIRST_NAMES.length * LAST_NAMES.length];
  private static final String[] EMAILS = new String[NAMES.length];
  private static final String[] ITEMS = new String[64];

  static {
    for (int f = 0; f < FIRST_NAMES.length; f++) {
      for (int l = 0; l < LAST_NAMES.length; l++) {
        int i = f * LAST_NAMES.length + l;
        NAMES[i] = FIRST_NAMES[f] + " " + LAST_NAMES[l];
        EMAILS[i] = FIRST_NAMES[f].toLowerCase() + "." + LAST_NAMES[l].toLowerCase() + "@example.com";
      }
    }
    for (int i = 0; i < ITEMS.length; i++) {
      ITEMS[i] = "item-" + i;
    }
  }

  private final GeneratorConfig config;
  private transient SeededRandom random;

  public EventGenerator(GeneratorConfig config) {
    this.config = config;
  }

  @Override
  public GeneratorConfig config() {
    return config;
  }

  @Override
  public Coder<Event> coder() {
    return EventCoder.of();
  }

  @Override
  public EventGenerator copy() {
    return new EventGenerator(config);
  }

  @Override
  public Event element(long index) {
    if (random == null) {
      random = new SeededRandom();
    }
    random.reset(config.seed(), index);
    long epoch = index / EVENTS_PER_EPOCH;
    int offset = (int) (index % EVENTS_PER_EPOCH);
    long time = config.timestamp(index);
    if (offset == 0) {
      return Event.of(person(FIRST_PERSON_ID + epoch, time));
    }
    // The person of this epoch (offset 0) precedes every auction and bid of the epoch.
    long persons = epoch + 1;
    if (offset <= AUCTIONS_PER_EPOCH) {
      long id = FIRST_AUCTION_ID + epoch * AUCTIONS_PER_EPOCH + offset - 1;
      return Event.of(auction(id, persons, time));
    }
    long auctions = (epoch + 1) * AUCTIONS_PER_EPOCH;
    return Event.of(bid(persons, auctions, time));
  }

  private Person person(long id, long time) {
    int name = random.nextInt(NAMES.length);
    return new Person(
        id,
        NAMES[name],
        EMAILS[name],
        CITIES[random.nextInt(CITIES.length)],
        STATES[random.nextInt(STATES.length)],
        time);
  }

  private Auction auction(long id, long persons, long time) {
    long seller = FIRST_PERSON_ID + persons - 1 - random.nextLong(Math.min(persons, 20));
    long initialBid = 100 + random.nextInt(1000);
    return new Auction(
        id,
        ITEMS[random.nextInt(ITEMS.length)],
        initialBid,
        initialBid + random.nextInt(5000),
        time,
        time + 10_000 + random.nextInt(20_000),
        seller,
        10 + random.nextInt(5));
  }

  private Bid bid(long persons, long auctions, long time) {
    long auction =
        random.nextInt(2) == 0
            ? FIRST_AUCTION_ID + auctions - 1 - random.nextLong(Math.min(auctions, 20))
            : FIRST_AUCTION_ID + random.nextLong(auctions);
    long bidder =
        random.nextInt(10) < 9
            ? FIRST_PERSON_ID + persons - 1 - random.nextLong(Math.min(persons, 100))
            : FIRST_PERSON_ID + random.nextLong(persons);
    long price = 100 + random.nextInt(10_000) + (random.nextInt(100) == 0 ? 1_000_000 : 0);
    return new Bid(auction, bidder, price, time);
  }
}
