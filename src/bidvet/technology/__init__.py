"""What is being bought: data-risk features of an item, its tier, and the bidder questionnaire.

``taxonomy`` reads the feature vocabulary (``data/taxonomy.yaml``); ``infer`` finds features in
free text and procurement codes; ``profile`` combines explicit and inferred features with the
site into a data-risk tier; ``questionnaire`` turns a profile into questions and reads answers.
"""
