"""Learning from annotated documents: gold projected onto text, a trained entity tagger,
and honest cross-validated evaluation.

    corpus.py    pairs of (Document, gold annotation) from a documents folder and a gold folder
    project.py   document-level gold names -> mention spans in the text (training labels)
    train.py     features of the tagger + CRF training -> a model file (kg train)
    evaluate.py  document-level k-fold cross-validation with fixed folds (kg evaluate)
"""
