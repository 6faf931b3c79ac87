#!/usr/bin/env python3
"""Do SDK code-example pages crowd the answers out? Run against a service on a full awsdocs release:
   python3 eval/awsdocs-dev/code_example_crowding.py [port]   (default 18999; the service's /api/search)
Per query type: the share of top-10 slots held by example pages in each mode, the queries where an unjudged
example page ranks above the first answering page (hybrid), and hybrid nDCG@10 as served and with the example
pages taken out of the ranking. Standard library only."""
import collections, json, math, os, sys, urllib.parse, urllib.request

here = os.path.dirname(os.path.abspath(__file__))
port = sys.argv[1] if len(sys.argv) > 1 else '18999'
queries = [json.loads(l) for l in open(os.path.join(here, 'queries.jsonl')) if l.strip()]
qrels = collections.defaultdict(dict)
with open(os.path.join(here, 'qrels', 'test.tsv')) as f:
    next(f)
    for line in f:
        q, page, grade = line.rstrip('\n').split('\t')
        qrels[q][page] = int(grade)


def example(page):
    name = page.split('/')[-1]
    return name.startswith('example_') or 'code_examples' in name


def ndcg(ranked, rel, k=10):
    dcg = sum(rel.get(p, 0) / math.log2(i + 2) for i, p in enumerate(ranked[:k]))
    ideal = sorted((g for g in rel.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0


def search(q, mode, k):
    url = f'http://127.0.0.1:{port}/api/search?' + urllib.parse.urlencode({'q': q, 'mode': mode, 'k': k})
    return [r['id'] for r in json.load(urllib.request.urlopen(url))['results']]


for kind in ['question', 'topic', 'keyword', 'identifier']:
    of_kind = [q for q in queries if q['metadata']['type'] == kind]
    shares = []
    for mode in ['keyword', 'semantic', 'hybrid']:
        slots = sum(sum(1 for p in search(q['text'], mode, 10) if example(p)) for q in of_kind)
        shares.append(f'{slots / (10 * len(of_kind)):.1%}')
    above = served = removed = 0
    for q in of_kind:
        ranked, rel = search(q['text'], 'hybrid', 30), qrels[q['_id']]
        first = next((i for i, p in enumerate(ranked) if rel.get(p, 0) == 2), len(ranked))
        above += any(example(p) and rel.get(p, 0) == 0 for p in ranked[:first])
        served += ndcg(ranked, rel)
        removed += ndcg([p for p in ranked if not example(p)], rel)
    print(f'{kind:10s} queries={len(of_kind)} example_share_top10(keyword/semantic/hybrid)={"/".join(shares)} '
          f'unjudged_example_above_first_answer={above} ndcg10_hybrid={served / len(of_kind):.4f} '
          f'without_examples={removed / len(of_kind):.4f}')
